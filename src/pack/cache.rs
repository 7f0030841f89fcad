//! Compiled packs kept between runs.
//!
//! Loading the shipped pack parses its files, compiles some 500 patterns and
//! tokenizes 19,000 gazetteer names: a tenth of a second, as long as
//! extracting 3 MB of text, paid again by every command. The pack as it
//! comes out of [`load_pack`] is written to the user's cache folder and read
//! back in milliseconds by the next run, as long as every file it was read
//! from (`Pack::inputs`) has the same content, no `.rules` file came or went,
//! and the engine is the same build.
//!
//! The cache is only ever a shortcut: an entry that is missing, stale, cut
//! short or written by another build is ignored and replaced, and a folder
//! that cannot be written leaves the run as it was without it.

use super::load::{content_hash, rule_files};
use super::{load_pack, Pack, PackError};
use std::io::Write;
use std::path::{Path, PathBuf};

/// The environment variable naming the cache folder; set empty, no
/// compiled pack is read or written.
pub const CACHE_DIR_VAR: &str = "TEXTKG_CACHE_DIR";
const MAGIC: &[u8; 16] = b"textkg-pack-bin\n";
/// Raised when the layout of an entry changes; the build check covers the
/// pack's own types.
const FORMAT: u32 = 3;
/// The rules are stored in this many parts, read back side by side (see
/// [`encode`]).
const RULE_PARTS: usize = 16;
/// Entries kept: one per pack folder, the oldest dropped past this.
const KEEP: usize = 32;

/// What an entry was made from, read before the pack itself.
#[derive(serde::Serialize, serde::Deserialize, PartialEq, Debug)]
struct Header {
    build: u64,
    root: PathBuf,
    rule_files: Vec<PathBuf>,
    /// Each input and the hash of its content, `None` if it could not be
    /// read (an absent confidence file).
    inputs: Vec<(PathBuf, Option<u64>)>,
}

/// The cache folder: `$TEXTKG_CACHE_DIR`, else `$XDG_CACHE_HOME/textkg`,
/// else `~/.cache/textkg`; `None` when the variable is set empty or no
/// home is known.
pub fn cache_dir() -> Option<PathBuf> {
    if let Some(dir) = std::env::var_os(CACHE_DIR_VAR) {
        return (!dir.is_empty()).then(|| PathBuf::from(dir));
    }
    let xdg = std::env::var_os("XDG_CACHE_HOME").filter(|d| !d.is_empty()).map(PathBuf::from);
    xdg.or_else(|| std::env::var_os("HOME").filter(|d| !d.is_empty()).map(|h| Path::new(&h).join(".cache"))).map(|d| d.join("textkg"))
}

/// Identifies the running executable (size and modification time): a
/// rebuilt engine neither reads the packs nor reuses the extractions an
/// older one wrote.
pub fn engine_build() -> u64 {
    let Some(meta) = std::env::current_exe().ok().and_then(|p| std::fs::metadata(p).ok()) else { return 0 };
    let mtime = meta.modified().ok().and_then(|t| t.duration_since(std::time::UNIX_EPOCH).ok()).map_or(0, |d| d.as_nanos() as u64);
    xxhash_rust::xxh3::xxh3_64(&[meta.len().to_le_bytes(), mtime.to_le_bytes()].concat())
}

/// [`load_pack`], through the cache in `dir` (none: straight from the files).
///
/// A pack compiled by this run is then read back from its own bytes, as a
/// later run reads it from the cache: compiled, it lies scattered among the
/// pages its parsing and compiling freed, and held 25 MB more of them
/// (BENCHMARKS.md, session 42).
pub fn load_cached(root: &Path, dir: Option<&Path>) -> Result<Pack, PackError> {
    let entry = dir.map(|dir| dir.join("packs").join(entry_name(root)));
    if let Some(pack) = entry.as_deref().and_then(|entry| read_entry(entry, root)) {
        return Ok(pack);
    }
    let pack = load_pack(root)?;
    let inputs = pack.inputs.clone();
    let Some(bytes) = encode(pack) else { return load_pack(root) };
    if let Some(entry) = &entry {
        // Best effort: a run does not fail for want of a cache.
        let _ = write_entry(entry, root, &inputs, &bytes);
    }
    match decode(&bytes) {
        Some(pack) => Ok(pack),
        // Not expected of bytes just written; compiled again rather than lost.
        None => load_pack(root),
    }
}

/// A pack as bytes: the pack without its rules, then the rules in
/// [`RULE_PARTS`] parts, each part's length first. Reading the pack back
/// was a third of a second before the first document, on one thread while
/// the others waited; in parts, every thread reads some.
fn encode(mut pack: Pack) -> Option<Vec<u8>> {
    let rules = std::mem::take(&mut pack.rules);
    let size = rules.len().div_ceil(RULE_PARTS).max(1);
    let parts: Vec<Vec<u8>> = std::iter::once(postcard::to_allocvec(&pack)).chain(rules.chunks(size).map(postcard::to_allocvec)).collect::<Result<_, _>>().ok()?;
    let mut bytes = postcard::to_allocvec(&parts.iter().map(Vec::len).collect::<Vec<_>>()).ok()?;
    parts.iter().for_each(|p| bytes.extend_from_slice(p));
    Some(bytes)
}

/// The pack [`encode`] wrote, its parts read side by side on the pool.
fn decode(bytes: &[u8]) -> Option<Pack> {
    use rayon::prelude::*;
    let (lengths, mut rest): (Vec<usize>, _) = postcard::take_from_bytes(bytes).ok()?;
    let mut parts = Vec::with_capacity(lengths.len());
    for len in lengths {
        let (part, after) = rest.split_at_checked(len)?;
        parts.push(part);
        rest = after;
    }
    let (first, rules) = parts.split_first()?;
    let read_pack = || postcard::from_bytes::<Pack>(first).ok();
    let read_rules = |part: &&[u8]| postcard::from_bytes::<Vec<super::Rule>>(part).ok();
    // `--jobs 1` reads on this thread: the pool's one worker would make the
    // pack, and this thread's frees of it would each go back across.
    let (pack, rules) = if rayon::current_num_threads() == 1 {
        (read_pack(), rules.iter().map(read_rules).collect::<Option<Vec<_>>>())
    } else {
        rayon::join(read_pack, || rules.par_iter().map(read_rules).collect::<Option<Vec<_>>>())
    };
    let mut pack = pack?;
    pack.rules = rules?.into_iter().flatten().collect();
    rest.is_empty().then_some(pack)
}

/// One entry per pack folder, as named and as resolved: a pack's rule
/// files are named after the folder as given (`rules/…`), so the same
/// folder named two ways is two packs.
fn entry_name(root: &Path) -> String {
    let canonical = std::fs::canonicalize(root).unwrap_or_else(|_| root.to_path_buf());
    let key = [canonical.as_os_str().as_encoded_bytes(), b"\0", root.as_os_str().as_encoded_bytes()].concat();
    format!("{:016x}.pack", xxhash_rust::xxh3::xxh3_64(&key))
}

fn file_hash(path: &Path) -> Option<u64> {
    std::fs::read(path).ok().map(|bytes| content_hash(&bytes))
}

fn read_entry(entry: &Path, root: &Path) -> Option<Pack> {
    let bytes = std::fs::read(entry).ok()?;
    let rest = bytes.strip_prefix(MAGIC)?;
    let (format, rest) = rest.split_first_chunk::<4>()?;
    let (sum, rest) = rest.split_first_chunk::<8>()?;
    // A checksum, so that an entry damaged on disk is not read as a pack.
    if u32::from_le_bytes(*format) != FORMAT || u64::from_le_bytes(*sum) != xxhash_rust::xxh3::xxh3_64(rest) {
        return None;
    }
    let (header, rest): (Header, _) = postcard::take_from_bytes(rest).ok()?;
    let fresh = header.build == engine_build() && header.root == root && rule_files(root).ok()? == header.rule_files && header.inputs.iter().all(|(p, h)| file_hash(p) == *h);
    if !fresh {
        return None;
    }
    decode(rest)
}

fn write_entry(entry: &Path, root: &Path, inputs: &[(PathBuf, Option<u64>)], pack: &[u8]) -> std::io::Result<()> {
    // The loader hashed the inputs as it read them.
    let header = Header { build: engine_build(), root: root.to_path_buf(), rule_files: rule_files(root)?, inputs: inputs.to_vec() };
    let header = postcard::to_allocvec(&header).map_err(std::io::Error::other)?;
    let dir = entry.parent().unwrap_or(Path::new("."));
    std::fs::create_dir_all(dir)?;
    prune(dir);
    // A temporary of this process's own: runs of the same pack may start
    // together (tests do), and each writes the whole entry.
    let tmp = entry.with_extension(format!("pack.{}.tmp", std::process::id()));
    let mut sum = xxhash_rust::xxh3::Xxh3::new();
    sum.update(&header);
    sum.update(pack);
    let write = || -> std::io::Result<()> {
        let mut file = std::fs::File::create(&tmp)?;
        for part in [&MAGIC[..], &FORMAT.to_le_bytes(), &sum.digest().to_le_bytes(), &header, pack] {
            file.write_all(part)?;
        }
        Ok(())
    };
    write().and_then(|()| std::fs::rename(&tmp, entry)).inspect_err(|_| {
        let _ = std::fs::remove_file(&tmp);
    })
}

/// Drops the oldest entries past [`KEEP`]: tests and scratch packs each
/// leave one.
fn prune(dir: &Path) {
    let Ok(entries) = std::fs::read_dir(dir) else { return };
    let mut packs: Vec<(std::time::SystemTime, PathBuf)> =
        entries.filter_map(Result::ok).filter(|e| e.path().extension().is_some_and(|x| x == "pack")).filter_map(|e| Some((e.metadata().ok()?.modified().ok()?, e.path()))).collect();
    if packs.len() < KEEP {
        return;
    }
    packs.sort();
    for (_, path) in &packs[..packs.len() + 1 - KEEP] {
        let _ = std::fs::remove_file(path);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn company() -> PathBuf {
        Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/packs/company")
    }

    /// The debug form of a pack, which shows every field (regexes have no
    /// equality), once the abbreviations, a set in no order, are compared.
    fn same(mut a: Pack, mut b: Pack) {
        assert_eq!(a.abbreviations.0, b.abbreviations.0);
        a.abbreviations.0.clear();
        b.abbreviations.0.clear();
        assert_eq!(format!("{a:?}"), format!("{b:?}"));
    }

    #[test]
    fn a_pack_read_back_is_the_pack_loaded() {
        let cache = tempfile::tempdir().unwrap();
        let loaded = load_cached(&company(), Some(cache.path())).unwrap();
        let entry = cache.path().join("packs").join(entry_name(&company()));
        assert!(entry.exists());
        same(read_entry(&entry, &company()).expect("a fresh entry"), loaded.clone());
        same(load_cached(&company(), Some(cache.path())).unwrap(), loaded);
    }

    #[test]
    fn a_pack_read_back_without_a_cache_is_the_pack_compiled() {
        same(load_cached(&company(), None).unwrap(), load_pack(&company()).unwrap());
    }

    #[test]
    fn an_entry_is_stale_once_a_file_changes_comes_or_goes() {
        let cache = tempfile::tempdir().unwrap();
        let pack = tempfile::tempdir().unwrap();
        let root = pack.path();
        std::fs::create_dir(root.join("gazetteer")).unwrap();
        for f in ["company.rules", "gazetteer/companies.tsv"] {
            std::fs::copy(company().join(f), root.join(f)).unwrap();
        }
        let entry = cache.path().join("packs").join(entry_name(root));
        let first = load_cached(root, Some(cache.path())).unwrap();
        assert!(read_entry(&entry, root).is_some());
        // A changed rule file.
        let rules = first.inputs.iter().map(|(p, _)| p).find(|p| p.extension().is_some_and(|x| x == "rules")).unwrap().clone();
        let text = std::fs::read_to_string(&rules).unwrap();
        std::fs::write(&rules, format!("{text}\n# changed\n")).unwrap();
        assert!(read_entry(&entry, root).is_none());
        load_cached(root, Some(cache.path())).unwrap();
        assert!(read_entry(&entry, root).is_some());
        // A confidence file that was not there.
        std::fs::write(root.join(super::super::load::CONFIDENCE_FILE), "*\t0.5\n").unwrap();
        assert!(read_entry(&entry, root).is_none());
        load_cached(root, Some(cache.path())).unwrap();
        // A new rule file.
        std::fs::write(root.join("more.rules"), "").unwrap();
        assert!(read_entry(&entry, root).is_none());
        // An entry cut short is no entry, and is replaced.
        load_cached(root, Some(cache.path())).unwrap();
        let bytes = std::fs::read(&entry).unwrap();
        std::fs::write(&entry, &bytes[..bytes.len() / 2]).unwrap();
        assert!(read_entry(&entry, root).is_none());
        assert_eq!(load_cached(root, Some(cache.path())).unwrap().rules.len(), first.rules.len());
        assert!(read_entry(&entry, root).is_some());
        // So is an entry with a byte changed on disk.
        let mut bytes = std::fs::read(&entry).unwrap();
        let middle = bytes.len() / 2;
        bytes[middle] ^= 1;
        std::fs::write(&entry, &bytes).unwrap();
        assert!(read_entry(&entry, root).is_none());
    }

    #[test]
    fn a_broken_pack_is_not_cached() {
        let cache = tempfile::tempdir().unwrap();
        let pack = tempfile::tempdir().unwrap();
        std::fs::write(pack.path().join("a.rules"), "type Person <http://x/P>\nrule r\n  pattern: [Nope\n").unwrap();
        assert!(load_cached(pack.path(), Some(cache.path())).is_err());
        assert!(!cache.path().join("packs").join(entry_name(pack.path())).exists());
    }
}
