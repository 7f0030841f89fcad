//! Diagnostics for rule files: a position, the source line with a caret, and
//! a suggestion when a name looks misspelled.

use std::fmt;
use std::path::PathBuf;

/// A position in a rule file: 1-based line and column (in characters).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Pos {
    pub line: usize,
    pub col: usize,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Diagnostic {
    pub file: PathBuf,
    pub pos: Pos,
    /// Width of the culprit in characters (at least 1).
    pub width: usize,
    pub message: String,
    pub source_line: String,
    pub help: Option<String>,
}

impl Diagnostic {
    /// An error of a whole file or folder (it cannot be read, it is empty):
    /// no line to point at, so none is shown.
    pub fn of_file(file: PathBuf, message: String) -> Diagnostic {
        Diagnostic { file, pos: Pos { line: 0, col: 0 }, width: 0, message, source_line: String::new(), help: None }
    }
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.pos.line == 0 {
            return write!(f, "error: {}\n --> {}", self.message, self.file.display());
        }
        let num = self.pos.line.to_string();
        let pad = " ".repeat(num.len());
        writeln!(f, "error: {}", self.message)?;
        writeln!(f, "{pad}--> {}:{}:{}", self.file.display(), self.pos.line, self.pos.col)?;
        writeln!(f, "{pad} |")?;
        writeln!(f, "{num} | {}", self.source_line)?;
        let caret_pad: String = self.source_line.chars().take(self.pos.col.saturating_sub(1)).map(|c| if c == '\t' { '\t' } else { ' ' }).collect();
        write!(f, "{pad} | {caret_pad}{}", "^".repeat(self.width.max(1)))?;
        if let Some(help) = &self.help {
            write!(f, "\n{pad} |\n{pad} = help: {help}")?;
        }
        Ok(())
    }
}

/// The closest candidate within a small edit distance, for "did you mean".
pub fn suggest<'a>(name: &str, candidates: impl IntoIterator<Item = &'a str>) -> Option<String> {
    let lower = name.to_lowercase();
    candidates
        .into_iter()
        .map(|c| (distance(&lower, &c.to_lowercase()), c))
        .filter(|&(d, c)| d <= (c.chars().count() / 3).max(1) || (d <= 3 && lower.len() > 4))
        .min_by_key(|&(d, c)| (d, c.to_string()))
        .map(|(_, c)| format!("did you mean `{c}`?"))
}

fn distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut prev: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut cur = vec![i + 1; b.len() + 1];
        for (j, &cb) in b.iter().enumerate() {
            cur[j + 1] = (prev[j] + usize::from(ca != cb)).min(prev[j + 1] + 1).min(cur[j] + 1);
        }
        prev = cur;
    }
    prev[b.len()]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn suggests_close_names_only() {
        assert_eq!(suggest("ORGANISATION", ["Organization", "Person"]).as_deref(), Some("did you mean `Organization`?"));
        assert_eq!(suggest("atended", ["attended", "chaired"]).as_deref(), Some("did you mean `attended`?"));
        assert_eq!(suggest("xyz", ["attended", "chaired"]), None);
    }
}
