//! Rule files are line-based: a statement starts at column 1, and the
//! indented lines below it are its properties; a line indented deeper than
//! the property above it continues that property.

use super::diag::Pos;

#[derive(Debug, Clone)]
pub struct Line {
    pub no: usize,
    /// The line without its comment, with each character's position.
    pub chars: Vec<(char, Pos)>,
}

impl Line {
    pub fn pos(&self) -> Pos {
        self.chars.first().map_or(Pos { line: self.no, col: 1 }, |(_, p)| p.clone())
    }
}

#[derive(Debug, Clone)]
pub struct Block {
    pub head: Line,
    /// Each property: its line plus continuation lines, joined.
    pub props: Vec<Line>,
}

pub fn blocks(source: &str) -> Vec<Block> {
    let mut out: Vec<Block> = Vec::new();
    let mut last_prop_indent = usize::MAX;
    for (i, raw) in source.lines().enumerate() {
        let no = i + 1;
        let chars = strip_comment(raw, no);
        if chars.is_empty() {
            continue;
        }
        let indent = chars[0].1.col - 1;
        let line = Line { no, chars };
        match out.last_mut() {
            Some(block) if indent > 0 => {
                if indent > last_prop_indent && !block.props.is_empty() {
                    let prop = block.props.last_mut().unwrap();
                    let sep = (' ', line.pos());
                    prop.chars.push(sep);
                    prop.chars.extend(line.chars);
                } else {
                    last_prop_indent = indent;
                    block.props.push(line);
                }
            }
            _ => {
                last_prop_indent = usize::MAX;
                out.push(Block { head: line, props: Vec::new() });
            }
        }
    }
    out
}

/// Characters of a line up to a `#` comment (outside quotes, regexes and
/// angle-bracketed IRIs), trimmed.
fn strip_comment(raw: &str, no: usize) -> Vec<(char, Pos)> {
    let mut out = Vec::with_capacity(raw.len());
    let mut quote: Option<char> = None;
    let mut prev_space = true;
    for (i, c) in raw.chars().enumerate() {
        match quote {
            Some(q) if c == q => quote = None,
            Some(_) => {}
            None if c == '#' && prev_space => break,
            None if c == '"' || c == '<' => quote = Some(if c == '<' { '>' } else { '"' }),
            None if c == '/' && prev_space => quote = Some('/'),
            None => {}
        }
        prev_space = c.is_whitespace();
        out.push((c, Pos { line: no, col: i + 1 }));
    }
    while out.last().is_some_and(|(c, _)| c.is_whitespace()) {
        out.pop();
    }
    let lead = out.iter().take_while(|(c, _)| c.is_whitespace()).count();
    out.drain(..lead);
    out
}

/// Words of a line: white-space separated, `"quoted strings"` kept whole
/// (without their quotes, flagged as quoted).
pub fn words(chars: &[(char, Pos)]) -> Result<Vec<(String, Pos, bool)>, Pos> {
    let mut out = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        let (c, ref pos) = chars[i];
        if c.is_whitespace() {
            i += 1;
            continue;
        }
        let pos = pos.clone();
        if c == '"' {
            let mut s = String::new();
            i += 1;
            loop {
                match chars.get(i) {
                    None => return Err(pos),
                    Some(('"', _)) => break,
                    // `\n` is a line break; a backslash makes any other character literal (`\"`).
                    Some(('\\', _)) if i + 1 < chars.len() => {
                        s.push(match chars[i + 1].0 {
                            'n' => '\n',
                            c => c,
                        });
                        i += 2;
                        continue;
                    }
                    Some((c, _)) => s.push(*c),
                }
                i += 1;
            }
            i += 1;
            out.push((s, pos, true));
        } else {
            let mut s = String::new();
            while i < chars.len() && !chars[i].0.is_whitespace() {
                s.push(chars[i].0);
                i += 1;
            }
            out.push((s, pos, false));
        }
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn groups_properties_and_continuations() {
        let src = "# head comment\nrule a  # trailing\n  lang fr\n  match x\n      y \"#z\"\ntype T = s:T\n";
        let b = blocks(src);
        assert_eq!(b.len(), 2);
        assert_eq!(b[0].props.len(), 2);
        let m: String = b[0].props[1].chars.iter().map(|c| c.0).collect();
        assert_eq!(m, "match x y \"#z\"");
        assert_eq!(b[0].props[1].chars[8].1, Pos { line: 5, col: 7 });
    }

    #[test]
    fn quoted_words_read_a_line_break_and_escaped_characters() {
        let chars: Vec<(char, Pos)> = r#"x "a\"b\nc" y"#.chars().enumerate().map(|(k, c)| (c, Pos { line: 1, col: k + 1 })).collect();
        let w: Vec<(String, bool)> = words(&chars).unwrap().into_iter().map(|(s, _, q)| (s, q)).collect();
        assert_eq!(w, [("x".to_string(), false), ("a\"b\nc".to_string(), true), ("y".to_string(), false)]);
    }
}
