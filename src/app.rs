//! One function per subcommand; the only place that prints.

use crate::cli::*;
use crate::export;
use crate::extract::{Document, Extractor, MentionValue, Object};
use crate::graph::digraph::figures;
use crate::graph::rdf::plain_triples;
use crate::input::Inputs;
use crate::pack::Pack;
use crate::pipeline::{build_graph, extract_all};
use crate::query::{open_store, run_query};
use anyhow::{bail, Context, Result};
use std::collections::BTreeMap;
use std::io::{IsTerminal, Write};
use std::process::ExitCode;
use std::time::Instant;

pub fn run(cli: Cli) -> Result<ExitCode> {
    match cli.command {
        Command::Extract(a) => extract(a),
        Command::Query(a) => query(a),
        Command::Dump(a) => dump(a),
        Command::Check(a) => check(a),
        Command::Explain(a) => explain(a),
        Command::Profile(a) => profile(a),
        Command::Eval(a) => eval(a),
        Command::Serve(a) => serve(a),
        Command::Graph { command: GraphCommand::Stats(a) } => graph_stats(a),
        Command::Dot(a) => dot(a),
        Command::Push(a) => push(a),
    }
}

fn push(a: PushArgs) -> Result<ExitCode> {
    let pack = load(&a.rules)?;
    let store = open_store(&a.store)?;
    let opts = crate::push::PushOptions { endpoint: a.endpoint.clone(), graph: a.graph.clone(), user: a.user.clone(), batch: a.batch };
    let r = crate::push::push(&store, &pack, &opts)?;
    eprintln!("textkg: pushed {} triples in {} graphs ({} requests) to {}", r.triples, r.graphs, r.requests, a.endpoint);
    Ok(ExitCode::SUCCESS)
}

/// The graph of a store, for the pack in `rules`: read from the store file
/// when `extract` wrote it with that pack, or else made from the store's
/// quads (after updates, or with another pack).
fn stored_graph(store: &std::path::Path, rules: &std::path::Path) -> Result<(Pack, crate::graph::KnowledgeGraph)> {
    let pack = load(rules)?;
    if let crate::query::StoreFile::Graph(path) = crate::query::store_file(store)? {
        if let Some(kg) = crate::graph::snapshot::read(&path)?.graph_for(&pack) {
            return Ok((pack, kg));
        }
    }
    let store = open_store(store)?;
    let kg = crate::graph::from_store::graph_from_store(&store, &pack)?;
    Ok((pack, kg))
}

fn node_name(kg: &crate::graph::KnowledgeGraph, n: usize) -> String {
    let node = &kg.nodes[n];
    node.labels.get("en").or_else(|| node.labels.values().next()).cloned().unwrap_or_else(|| node.key.clone())
}

fn graph_stats(a: StoreArgs) -> Result<ExitCode> {
    let (pack, kg) = stored_graph(&a.store, &a.rules)?;
    let g = crate::graph::digraph::to_digraph(&kg);
    let fig = figures(&kg, a.top);
    let mut w = std::io::stdout().lock();
    writeln!(w, "nodes {} (in facts: {}), edges {}, components {}", kg.nodes.len(), fig.nodes, fig.edges, fig.components)?;
    let mut by_type: BTreeMap<&str, usize> = BTreeMap::new();
    for n in &kg.nodes {
        *by_type.entry(&pack.types[n.ty].name).or_default() += 1;
    }
    writeln!(w, "\nnodes by type")?;
    for (t, c) in by_type {
        writeln!(w, "  {t:<16} {c}")?;
    }
    let mut by_rel: BTreeMap<&str, usize> = BTreeMap::new();
    for f in &kg.facts {
        *by_rel.entry(&pack.relations[f.relation].name).or_default() += 1;
    }
    writeln!(w, "\nfacts by relation")?;
    for (r, c) in by_rel {
        writeln!(w, "  {r:<16} {c}")?;
    }
    writeln!(w, "\nmost connected (degree)")?;
    for (n, d) in &fig.most_connected {
        writeln!(w, "  {d:>5}  {}", node_name(&kg, *n))?;
    }
    let between = crate::graph::digraph::betweenness(&g);
    let mut ranked: Vec<(usize, f64)> = g.node_indices().map(|i| (g[i], between[i.index()])).collect();
    ranked.sort_by(|a, b| b.1.total_cmp(&a.1).then(kg.nodes[a.0].iri.cmp(&kg.nodes[b.0].iri)));
    writeln!(w, "\nmost central (betweenness)")?;
    for (n, b) in ranked.into_iter().take(a.top) {
        writeln!(w, "  {b:>8.1}  {}", node_name(&kg, n))?;
    }
    Ok(ExitCode::SUCCESS)
}

fn dot(a: DotArgs) -> Result<ExitCode> {
    let (pack, kg) = stored_graph(&a.store, &a.rules)?;
    let opts = crate::graph::view::ViewOptions { focus: a.focus.clone(), depth: a.depth, relations: a.relation.clone(), min_confidence: a.min_confidence };
    let view = crate::graph::view::select(&kg, &pack, &opts);
    if !a.focus.is_empty() && view.facts.is_empty() {
        bail!("nothing matches --focus {}", a.focus.join(", "));
    }
    let base = kg.nodes.first().map(|n| n.iri.rsplit_once('/').map_or("", |(b, _)| b).rsplit_once('/').map_or(String::new(), |(b, _)| format!("{b}/"))).unwrap_or_default();
    let text = export::dot::write_dot_clustered(&view, &pack, &base, &a.lang, a.cluster_by.is_some());
    match a.render {
        None => match &a.output {
            Some(path) => export::write_atomic(path, text.as_bytes())?,
            None => std::io::stdout().lock().write_all(text.as_bytes())?,
        },
        Some(r) => {
            let fmt = match r {
                Render::Svg => "svg",
                Render::Png => "png",
            };
            let mut child = match std::process::Command::new("dot").arg(format!("-T{fmt}")).stdin(std::process::Stdio::piped()).stdout(std::process::Stdio::piped()).spawn() {
                Ok(c) => c,
                Err(_) => bail!("Graphviz's `dot` is not installed (Debian: apt-get install graphviz); without --render, textkg writes the DOT text"),
            };
            child.stdin.take().context("dot stdin")?.write_all(text.as_bytes())?;
            let out = child.wait_with_output()?;
            if !out.status.success() {
                bail!("dot failed: {}", String::from_utf8_lossy(&out.stderr));
            }
            match &a.output {
                Some(path) => export::write_atomic(path, &out.stdout)?,
                None => std::io::stdout().lock().write_all(&out.stdout)?,
            }
        }
    }
    Ok(ExitCode::SUCCESS)
}

fn serve(a: ServeArgs) -> Result<ExitCode> {
    let store = crate::query::open_store_for(&a.store, a.allow_update)?;
    let opts = crate::serve::ServeOptions {
        bind: a.bind.clone(),
        store_dir: a.store.clone(),
        allow_update: a.allow_update,
        timeout: std::time::Duration::from_secs(a.timeout.max(1)),
        max_results: a.max_results,
        max_body: a.max_body,
        threads: 4,
    };
    crate::serve::serve(store, opts, |addr| {
        let mode = if a.allow_update { "read-write" } else { "read-only" };
        eprintln!("textkg: serving {} on http://{addr}/ ({mode}; SPARQL endpoint http://{addr}/query)", a.store.display());
    })?;
    Ok(ExitCode::SUCCESS)
}

/// The pack, compiled once and then read from the cache (`pack::cache`).
fn load(rules: &std::path::Path) -> Result<Pack> {
    load_with(rules, crate::pack::cache::cache_dir().as_deref())
}

/// What the binary's allocator can be asked to do with the memory a phase
/// freed (set by `main`; nothing for a library user).
pub struct Allocator {
    /// Gives back to the system the free pages of the calling thread.
    pub release_freed: fn(),
    /// Whether pages are given back as soon as they are freed (`true`) or
    /// after the allocator's delay, which spares a run the system calls.
    pub release_at_once: fn(bool),
}

/// Set by `main`. Two phases need it: compiling the pack frees as much as it
/// keeps, and kept for reuse, those pages made a run that compiles its pack
/// peak 40 MB above one that reads it from the cache (session 42); and
/// extraction frees its per-document buffers on the worker threads, which
/// the threads writing the files would not reuse: given back first, the end
/// of a run peaks 10–15 MB lower (BENCHMARKS.md, session 39).
pub static ALLOCATOR: std::sync::OnceLock<Allocator> = std::sync::OnceLock::new();

/// [`Allocator::release_freed`] on every thread of the pool, then on this one.
fn release_freed() {
    if let Some(a) = ALLOCATOR.get() {
        rayon::broadcast(|_| (a.release_freed)());
        (a.release_freed)();
    }
}

fn load_with(rules: &std::path::Path, cache: Option<&std::path::Path>) -> Result<Pack> {
    let release_at_once = |on| ALLOCATOR.get().inspect(|a| (a.release_at_once)(on));
    release_at_once(true);
    let pack = crate::pack::cache::load_cached(rules, cache);
    release_at_once(false);
    pack.map_err(|e| anyhow::anyhow!("{e}\n\n{} error(s) in the rule pack {}", e.0.len(), rules.display()))
}

fn extract(a: ExtractArgs) -> Result<ExitCode> {
    let started = Instant::now();
    oxigraph::model::NamedNode::new(&a.base).with_context(|| format!("--base {} is not a valid IRI", a.base))?;
    // Before the pack: loading it compiles the rules on the pool.
    use_jobs(a.jobs);
    let mut pack = load_with(&a.rules, if a.no_cache { None } else { crate::pack::cache::cache_dir() }.as_deref())?;
    let progress = (std::io::stderr().is_terminal() && !a.quiet).then(|| {
        let pb = indicatif::ProgressBar::new_spinner();
        pb.set_style(indicatif::ProgressStyle::with_template("{spinner} {pos} documents {per_sec} [{elapsed}]").unwrap());
        pb
    });
    // Cached extractions hold for this pack and this build of the engine.
    let fingerprint = pack.fingerprint() ^ crate::pack::cache::engine_build();
    let cache = crate::pipeline::ExtractionCache::load(&a.out, fingerprint);
    let cache_used = (!a.no_cache).then_some(&cache);
    std::fs::create_dir_all(&a.out).with_context(|| format!("cannot create {}", a.out.display()))?;
    let part = a.out.join(format!("{}.part", crate::pipeline::CACHE_FILE));
    let minter = crate::graph::iri::Minter::new(&a.base);
    let run = crate::pipeline::RunOptions { lang: a.lang.as_deref(), strict: a.strict, cache: cache_used, fingerprint };
    let extractions = crate::pipeline::extract_run(&pack, Inputs::new(&a.inputs), &run, &part, |n| {
        if let Some(pb) = &progress {
            pb.set_position(n as u64);
        }
    })
    .with_context(|| format!("cannot write {}", part.display()))?;
    if let Some(pb) = progress {
        pb.finish_and_clear();
    }
    // The graph and its files are the run's peak; the rules and the
    // gazetteer's automaton need not be alive beside them.
    pack.drop_matchers();
    release_freed();
    let (kg, stats, run_facts) = extractions.merge(&pack, &minter).with_context(|| format!("cannot read back {}", part.display()))?;
    for e in &stats.skipped {
        eprintln!("textkg: skipped {e}");
    }
    let (fired, lang) = (run_facts.fired, run_facts.lang);
    release_freed();
    let triples = plain_triples(&kg, &pack);
    let data = export::Dataset { kg: &kg, pack: &pack, minter: &minter };
    let dataset = export::DatasetFiles { store: !a.no_store, nquads: a.nquads, trig: a.trig };
    export::write_all(&a.out, &triples, data, &a.base, &lang, dataset).with_context(|| format!("cannot write to {}", a.out.display()))?;
    if let Some(size) = a.shard_size {
        let n = export::write_shards(&a.out, data, size).with_context(|| format!("cannot write shards to {}", a.out.display()))?;
        if !a.quiet {
            eprintln!("textkg: wrote {n} N-Quads shards of at most {size} quads to {}/shards", a.out.display());
        }
    }
    // Put in place last: a run killed before this point redoes its documents next time.
    std::fs::rename(&part, a.out.join(crate::pipeline::CACHE_FILE)).with_context(|| format!("cannot write to {}", a.out.display()))?;
    // The cache of an earlier version of textkg, which this one cannot read.
    let _ = std::fs::remove_file(a.out.join(crate::pipeline::OLD_CACHE_FILE));
    if !a.quiet {
        let fig = figures(&kg, 5);
        eprintln!(
            "textkg: {} documents ({} skipped, {} unchanged since the last run), {} sentences, {} mentions, {} entities, {} facts ({} RDF triples), {} rules fired, {:.2}s",
            stats.documents,
            stats.skipped.len(),
            stats.reused,
            stats.sentences,
            stats.mentions,
            kg.nodes.len(),
            kg.facts.len(),
            triples.len(),
            fired.len(),
            started.elapsed().as_secs_f64()
        );
        let top: Vec<String> = fig.most_connected.iter().map(|(n, d)| format!("{} ({d})", kg.nodes[*n].labels.values().next().unwrap_or(&kg.nodes[*n].key))).collect();
        eprintln!("textkg: graph of {} nodes, {} edges, {} components; most connected: {}", fig.nodes, fig.edges, fig.components, top.join(", "));
        let written: String = dataset.names().iter().map(|f| format!(",{f}")).collect();
        eprintln!("textkg: wrote {}/{{graph.ttl,graph.nt,graph.jsonld,graph.dot,facts.csv{written}}}", a.out.display());
    }
    // As in `query`: the process ends here, and the OS takes the graph and
    // the pack back at once, where dropping them node by node took longer
    // than writing the DOT file.
    std::mem::forget((kg, triples, pack));
    Ok(if stats.skipped.is_empty() { ExitCode::SUCCESS } else { ExitCode::from(1) })
}

/// Sizes the thread pool for `--jobs` (all cores without it).
fn use_jobs(jobs: Option<usize>) {
    if let Some(j) = jobs {
        rayon::ThreadPoolBuilder::new().num_threads(j.max(1)).build_global().ok();
    }
}

fn query(a: QueryArgs) -> Result<ExitCode> {
    let text = match (&a.query, &a.file) {
        (Some(q), None) => q.clone(),
        (None, Some(f)) => std::fs::read_to_string(f).with_context(|| format!("cannot read {}", f.display()))?,
        _ => bail!("give the query as an argument or with --file, not both"),
    };
    let store = crate::query::open_store_for(&a.store, false)?;
    let stdout = std::io::stdout();
    let mut out = std::io::BufWriter::new(stdout.lock());
    run_query(&store, &text, a.format, &mut out)?;
    out.flush()?;
    // The process ends here: the OS takes the memory back at once, where
    // freeing a store of a million quads one node at a time takes a second.
    std::mem::forget(store);
    Ok(ExitCode::SUCCESS)
}

fn dump(a: DumpArgs) -> Result<ExitCode> {
    let started = Instant::now();
    let graphs = crate::dump::Graphs::parse(a.graph.as_deref())?;
    let serializer = crate::dump::serializer(a.format.rdf_format(), &a.prefix)?;
    let store = crate::query::open_store_for(&a.store, false)?;
    let loaded = started.elapsed().as_secs_f64();
    let format = serializer.format();
    let n = match &a.output {
        Some(path) => {
            let mut n = 0;
            export::write_atomic_with(path, |w| {
                n = crate::dump::dump(&store, serializer, &graphs, w).map_err(std::io::Error::other)?;
                Ok(())
            })
            .with_context(|| format!("cannot write {}", path.display()))?;
            n
        }
        None => {
            let mut out = std::io::BufWriter::new(std::io::stdout().lock());
            // An I/O error stays one, so that a closed pipe ends quietly.
            let io_as_is = |e: crate::dump::DumpError| match e {
                crate::dump::DumpError::Io(io) => anyhow::Error::from(io),
                e => e.into(),
            };
            let n = crate::dump::dump(&store, serializer, &graphs, &mut out).map_err(io_as_is)?;
            out.flush()?;
            n
        }
    };
    let written = started.elapsed().as_secs_f64() - loaded;
    if !a.quiet {
        let what = if format.supports_datasets() { "quads" } else { "triples" };
        eprintln!("textkg: dumped {n} {what} as {} in {written:.2}s ({:.0} per second; the store loaded in {loaded:.2}s)", format.name(), n as f64 / written.max(1e-9));
    }
    // As in `query`: the OS takes the store back faster than dropping it.
    std::mem::forget(store);
    Ok(ExitCode::SUCCESS)
}

fn check(a: CheckArgs) -> Result<ExitCode> {
    let pack = load(&a.rules)?;
    let failures = crate::check::run_examples(&pack);
    let total: usize = pack.rules.iter().map(|r| r.examples.len()).sum();
    for f in &failures {
        eprintln!("{f}\n");
    }
    let untested = pack.rules.iter().filter(|r| r.examples.is_empty()).count();
    eprintln!(
        "textkg check: {} rules, {} gazetteer entries, {} examples: {} passed, {} failed; {} rules without examples",
        pack.rules.len(),
        pack.gazetteer.entries.len(),
        total,
        total - failures.len(),
        failures.len(),
        untested
    );
    Ok(if failures.is_empty() { ExitCode::SUCCESS } else { ExitCode::from(1) })
}

fn explain(a: ExplainArgs) -> Result<ExitCode> {
    let pack = load(&a.rules)?;
    let text = match std::fs::read(&a.input) {
        Ok(bytes) => crate::input::decode(&a.input, &bytes)?,
        Err(_) => a.input.clone(),
    };
    let doc = Document { id: "explain".into(), text: text.clone(), lang: a.lang.clone(), ..Default::default() };
    let ex = Extractor::new(&pack);
    let (out, trace) = ex.extract_traced(&doc);
    let mut w = std::io::stdout().lock();
    writeln!(w, "language: {}", out.lang)?;
    for (s, mentions) in &trace.sentences {
        writeln!(w, "\nsentence {}: {}", s.index, &text[s.span.clone()])?;
        let toks: Vec<&str> = s.tokens.iter().map(|t| t.text(&text)).collect();
        writeln!(w, "  tokens: {}", toks.join(" | "))?;
        // The text of tokens `start..end` of the sentence.
        let span = |start: usize, end: usize| if end > start { &text[s.tokens[start].span.start..s.tokens[end - 1].span.end] } else { "" };
        let rule_at = |r: usize| format!("{} ({}:{})", pack.rules[r].name, pack.rules[r].file.display(), pack.rules[r].line);
        for m in mentions {
            let surface = span(m.start, m.end);
            let what = match &m.value {
                MentionValue::Entity(e) => out.entities[*e].key.clone(),
                MentionValue::Date(d) => d.last.map_or(d.first.to_string(), |l| format!("{}..{l}", d.first)),
                MentionValue::Name(n) => n.clone(),
            };
            writeln!(w, "  mention [{}{}] \"{surface}\" → {what}", pack.types[m.ty].name, if m.form > 0 { format!(":{}", pack.forms[m.form as usize]) } else { String::new() })?;
        }
        for f in trace.firings.iter().filter(|f| f.sentence == s.index) {
            let note = if f.negated { " (negated: nothing asserted)" } else { "" };
            writeln!(w, "  rule {} matched \"{}\": {} fact(s){note}", rule_at(f.rule), span(f.start, f.end), f.facts)?;
        }
        for b in trace.beaten.iter().filter(|b| b.sentence == s.index) {
            writeln!(w, "  rule {} matched \"{}\" but lost to {}", rule_at(b.rule), span(b.start, b.end), rule_at(b.by))?;
        }
        for fact in out.facts.iter().filter(|f| f.provenance.sentence == s.index) {
            let name = |e: usize| out.entities[e].labels.first().map_or(out.entities[e].key.clone(), |l| l.1.clone());
            let obj = match &fact.object {
                Object::Entity(e) => name(*e),
                Object::Date(d) => d.to_string(),
            };
            writeln!(w, "  ⇒ {} —{}→ {}   [{}]", name(fact.subject), pack.relations[fact.relation].name, obj, fact.provenance.rule)?;
        }
        if let Some(rel) = &a.relation {
            for line in crate::check::near_misses(&pack, rel, s, mentions, &text, &out.lang) {
                writeln!(w, "  {line}")?;
            }
        }
    }
    Ok(ExitCode::SUCCESS)
}

fn profile(a: ProfileArgs) -> Result<ExitCode> {
    let started = Instant::now();
    use_jobs(a.jobs);
    let pack = load(&a.rules)?;
    let extractor = Extractor::new(&pack).with_costs();
    let by_name: std::collections::HashMap<&str, usize> = pack.rules.iter().enumerate().map(|(i, r)| (r.name.as_str(), i)).collect();
    let mut facts = vec![0u64; pack.rules.len()];
    let stats = crate::pipeline::extract_each(
        &extractor,
        Inputs::new(&a.inputs),
        a.lang.as_deref(),
        false,
        None,
        |_| {},
        |ex, _, _| {
            for f in &ex.facts {
                if let Some(&r) = by_name.get(f.provenance.rule.as_str()) {
                    facts[r] += 1;
                }
            }
        },
    );
    for e in &stats.skipped {
        eprintln!("textkg: skipped {e}");
    }
    let costs = extractor.costs();
    let mut order: Vec<usize> = (0..costs.len()).collect();
    order.sort_by_key(|&r| (std::cmp::Reverse(costs[r].nanos), std::cmp::Reverse(costs[r].woken), r));
    let total_ns: u64 = costs.iter().map(|c| c.nanos).sum();
    let shown = if a.top == 0 { order.len() } else { a.top.min(order.len()) };
    let mut w = std::io::stdout().lock();
    writeln!(w, "{:<40} {:<28} {:>9} {:>9} {:>8} {:>7} {:>9} {:>6}", "rule", "where", "woken", "run", "matches", "facts", "VM ms", "share")?;
    for &r in &order[..shown] {
        let (c, rule) = (&costs[r], &pack.rules[r]);
        let place = format!("{}:{}", rule.file.file_name().map_or_else(|| rule.file.display().to_string(), |f| f.to_string_lossy().into_owned()), rule.line);
        let share = if total_ns == 0 { 0.0 } else { 100.0 * c.nanos as f64 / total_ns as f64 };
        writeln!(w, "{:<40} {:<28} {:>9} {:>9} {:>8} {:>7} {:>9.1} {:>5.1}%", rule.name, place, c.woken, c.run, c.matches, facts[r], c.nanos as f64 / 1e6, share)?;
    }
    eprintln!(
        "textkg: {} documents, {} sentences, {} rules; {:.1} ms in the pattern matcher (summed over threads), {:.2}s in all",
        stats.documents,
        stats.sentences,
        pack.rules.len(),
        total_ns as f64 / 1e6,
        started.elapsed().as_secs_f64()
    );
    Ok(if stats.skipped.is_empty() { ExitCode::SUCCESS } else { ExitCode::from(1) })
}

fn eval(a: EvalArgs) -> Result<ExitCode> {
    let pack = load(&a.rules)?;
    let (docs, stats) = extract_all(&pack, Inputs::new(&a.inputs), a.lang.as_deref(), false, None, |_| {});
    for e in &stats.skipped {
        eprintln!("textkg: skipped {e}");
    }
    let kg = build_graph(&pack, &a.base, docs);
    let gold = crate::eval::Gold::load(&a.gold)?;
    let report = crate::eval::score(&kg, &pack, &gold);
    let mut w = std::io::stdout().lock();
    write!(w, "{}", report.render(a.show_errors))?;
    if let Some(path) = &a.write_confidence {
        let inputs: Vec<String> = a.inputs.iter().map(|p| p.display().to_string()).collect();
        let text = report.confidences(&format!("textkg eval --gold {} {}", a.gold.display(), inputs.join(" ")));
        export::write_atomic(path, text.as_bytes()).with_context(|| format!("cannot write {}", path.display()))?;
        eprintln!("textkg: wrote the measured confidence of {} rules to {}", report.rules.len(), path.display());
    }
    Ok(match a.min_f1 {
        Some(min) if report.micro.f1 < min => ExitCode::from(1),
        _ => ExitCode::SUCCESS,
    })
}
