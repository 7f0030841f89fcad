//! Patterns over a sentence's tokens and mentions: syntax, compilation to a
//! program, and a VM that runs it in linear time.

pub mod ast;
mod compile;
mod parse;
mod program;
mod vm;

pub use compile::{compile, Bindings, Names};
pub use parse::{parse_pattern, word_tokens, PatternError};
pub use program::{Inst, Program, TokenClass, TokenPred, Vocab};
pub use vm::{find_all, find_all_with, find_at, latest_start, Cache, Input, Match, MentionAt, MentionIndex, WordIndex};
pub(crate) use vm::{looks, test as passes};
