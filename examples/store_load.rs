//! Times textkg's loader of N-Triples and N-Quads files (the one `query`
//! and `serve` open a store updated by `serve --allow-update` with) on a
//! file, in memory or into RocksDB, and prints one `RESULT` line in the
//! form of the peers' `rdf_bench.py`:
//!
//! ```sh
//! cargo run --release --example store_load -- FILE.nt                # in memory
//! cargo run --release --features rocksdb --example store_load -- FILE.nt DIR   # RocksDB in DIR (emptied first)
//! ```

use oxigraph::store::Store;
use std::process::ExitCode;
use std::time::Instant;

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let Some(file) = args.first() else {
        eprintln!("usage: store_load FILE [DIR]");
        return ExitCode::from(2);
    };
    match run(file, args.get(1).map(String::as_str)) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("store_load: {e}");
            ExitCode::from(2)
        }
    }
}

fn run(file: &str, dir: Option<&str>) -> Result<(), String> {
    let started = Instant::now();
    let store = open(dir)?;
    let t = Instant::now();
    textkg::graph::rdf::bulk_load(&store, std::path::Path::new(file))?;
    #[cfg(feature = "rocksdb")]
    if dir.is_some() {
        store.flush().map_err(|e| e.to_string())?;
    }
    let load = t.elapsed().as_secs_f64();
    let n = store.len().map_err(|e| e.to_string())?;
    let mode = if dir.is_some() { "textkg-load-disk" } else { "textkg-load-mem" };
    println!("RESULT mode={mode} triples={n} load_s={load:.3} triples_per_s={:.0} total_in_process_s={:.3}", n as f64 / load, started.elapsed().as_secs_f64());
    // As in `textkg query`: the OS takes the store back faster than dropping it.
    std::mem::forget(store);
    Ok(())
}

#[cfg(feature = "rocksdb")]
fn open(dir: Option<&str>) -> Result<Store, String> {
    match dir {
        Some(d) => {
            let _ = std::fs::remove_dir_all(d);
            Store::open(d).map_err(|e| e.to_string())
        }
        None => Store::new().map_err(|e| e.to_string()),
    }
}

#[cfg(not(feature = "rocksdb"))]
fn open(dir: Option<&str>) -> Result<Store, String> {
    match dir {
        Some(_) => Err("a store on disk needs the rocksdb feature (cargo run --features rocksdb …)".into()),
        None => Store::new().map_err(|e| e.to_string()),
    }
}
