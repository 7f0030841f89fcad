//! Gazetteer tables: tab-separated, one entity a line, a header naming the
//! columns (see rules/README.md, "Gazetteer tables").

use std::collections::BTreeMap;

#[derive(Debug, Clone, PartialEq)]
pub struct Row {
    pub line: usize,
    pub key: String,
    pub ty: String,
    /// Column of the type field, for errors.
    pub ty_col: usize,
    pub wikidata: Option<String>,
    /// (language, names): the first name is the preferred label.
    pub labels: Vec<(String, Vec<String>)>,
    /// (form, names): `aliases` are names; other columns are forms of their own.
    pub forms: Vec<(String, Vec<String>)>,
    pub attrs: BTreeMap<String, Vec<String>>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct TableError {
    pub line: usize,
    pub col: usize,
    pub message: String,
    pub source_line: String,
}

const SPECIAL: [&str; 4] = ["key", "type", "wikidata", "attrs"];

fn is_language(col: &str) -> bool {
    (2..=3).contains(&col.len()) && col.chars().all(|c| c.is_ascii_lowercase())
}

/// Reads a table; rows with errors are reported and skipped, the others kept.
pub fn read_table(source: &str) -> (Vec<Row>, Vec<TableError>) {
    let mut rows = Vec::new();
    let mut errors = Vec::new();
    let mut lines = source.lines().enumerate().filter(|(_, l)| !l.trim().is_empty() && !l.starts_with('#'));
    let Some((hno, header)) = lines.next() else { return (rows, errors) };
    let cols: Vec<&str> = header.split('\t').map(str::trim).collect();
    for required in ["key", "type"] {
        if !cols.contains(&required) {
            errors.push(TableError { line: hno + 1, col: 1, message: format!("the header has no `{required}` column"), source_line: header.to_string() });
        }
    }
    if !errors.is_empty() {
        return (rows, errors);
    }
    for (i, line) in lines {
        let fields: Vec<&str> = line.split('\t').collect();
        let err = |col_idx: usize, message: String| {
            let col = fields.iter().take(col_idx).map(|f| f.chars().count() + 1).sum::<usize>() + 1;
            TableError { line: i + 1, col, message, source_line: line.to_string() }
        };
        if fields.len() > cols.len() {
            errors.push(err(cols.len(), format!("{} fields, but the header names {}", fields.len(), cols.len())));
            continue;
        }
        let get = |name: &str| cols.iter().position(|c| *c == name).and_then(|k| fields.get(k)).map(|f| f.trim()).unwrap_or("");
        let mut row = Row {
            line: i + 1,
            key: get("key").to_string(),
            ty: get("type").to_string(),
            ty_col: fields.iter().take(cols.iter().position(|c| *c == "type").unwrap()).map(|f| f.chars().count() + 1).sum::<usize>() + 1,
            wikidata: Some(get("wikidata").to_string()).filter(|w| !w.is_empty()),
            labels: Vec::new(),
            forms: Vec::new(),
            attrs: BTreeMap::new(),
        };
        if row.key.is_empty() {
            errors.push(err(0, "empty key".into()));
            continue;
        }
        if let Some(w) = &row.wikidata {
            if !(w.starts_with('Q') && w.len() > 1 && w[1..].chars().all(|c| c.is_ascii_digit())) {
                let k = cols.iter().position(|c| *c == "wikidata").unwrap();
                errors.push(err(k, format!("`{w}` is not a Wikidata item id (Q followed by digits)")));
                continue;
            }
        }
        let attrs = get("attrs");
        let mut bad = false;
        for pair in attrs.split(';').map(str::trim).filter(|p| !p.is_empty()) {
            match pair.split_once('=') {
                Some((k, v)) => {
                    let vals = v.split('|').map(|s| s.trim().to_string()).filter(|s| !s.is_empty());
                    row.attrs.entry(k.trim().to_string()).or_default().extend(vals);
                }
                None => {
                    let k = cols.iter().position(|c| *c == "attrs").unwrap();
                    errors.push(err(k, format!("attribute `{pair}` has no `=`")));
                    bad = true;
                }
            }
        }
        if bad {
            continue;
        }
        for (k, col) in cols.iter().enumerate() {
            if SPECIAL.contains(col) {
                continue;
            }
            let names: Vec<String> = fields.get(k).unwrap_or(&"").split('|').map(|s| s.trim().to_string()).filter(|s| !s.is_empty()).collect();
            if names.is_empty() {
                continue;
            }
            if is_language(col) {
                row.labels.push((col.to_string(), names));
            } else {
                row.forms.push((col.to_string(), names));
            }
        }
        rows.push(row);
    }
    (rows, errors)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_rows_and_reports_bad_ones() {
        let src = "key\ttype\twikidata\ten\tfr\taliases\tdemonyms\tattrs\n\
                   georgia\tCountry\tQ230\tGeorgia\tGéorgie\t\tGeorgian|géorgien\t\n\
                   bad\tCountry\tX1\n\
                   sg\tPosition\t\tSecretary General\t\t\t\taffiliated_with=nato\n";
        let (rows, errors) = read_table(src);
        assert_eq!(rows.len(), 2);
        assert_eq!(rows[0].labels, vec![("en".to_string(), vec!["Georgia".to_string()]), ("fr".into(), vec!["Géorgie".into()])]);
        assert_eq!(rows[0].forms, vec![("demonyms".to_string(), vec!["Georgian".to_string(), "géorgien".into()])]);
        assert_eq!(rows[1].attrs["affiliated_with"], ["nato"]);
        assert_eq!((errors[0].line, errors[0].col), (3, 13));
    }
}
