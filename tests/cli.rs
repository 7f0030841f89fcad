//! Drives the real executable, on a small corpus and rule packs written for
//! the tests (the shipped pack in `rules/`, and a company-news pack).

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// The executable, run from the project's root, with its compiled packs
/// kept in the build folder rather than the user's cache.
fn command() -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_textkg"));
    c.current_dir(root()).env("TEXTKG_CACHE_DIR", Path::new(env!("CARGO_TARGET_TMPDIR")).join("textkg-cache"));
    c
}

fn textkg(args: &[&str]) -> Output {
    command().args(args).output().expect("run textkg")
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

fn extract(corpus: &Path, rules: &Path, out: &Path) -> Output {
    let o = textkg(&["extract", corpus.to_str().unwrap(), "--rules", rules.to_str().unwrap(), "--out", out.to_str().unwrap(), "--trig", "--nquads"]);
    assert!(o.status.code().is_some(), "killed: {}", stderr(&o));
    o
}

const KG: &str = "http://textkg.example/kg/";
const DIP: &str = "http://textkg.example/diplomacy#";

fn has(nt: &str, s: &str, p: &str, o: &str) -> bool {
    nt.lines().any(|l| l == format!("<{KG}{s}> <{DIP}{p}> {o} ."))
}

#[test]
fn extracts_the_test_corpus_with_the_shipped_rules() {
    let out = tempfile::tempdir().unwrap();
    let o = extract(&root().join("tests/data/corpus"), &root().join("rules"), out.path());
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let summary = stderr(&o);
    assert!(summary.contains("3 documents (0 skipped, 0 unchanged since the last run)"), "{summary}");
    let nt = std::fs::read_to_string(out.path().join("graph.nt")).unwrap();
    let event = "event/ministerial-meeting-brussels-nato-2019-04-03";
    // One event node for the French and the English mention of the meeting.
    assert!(has(&nt, "person/paul-durand", "attended", &format!("<{KG}{event}>")), "{nt}");
    assert!(has(&nt, event, "start_date", "\"2019-04-03\"^^<http://www.w3.org/2001/XMLSchema#date>"));
    assert!(has(&nt, event, "end_date", "\"2019-04-04\"^^<http://www.w3.org/2001/XMLSchema#date>"));
    assert!(has(&nt, event, "held_in", &format!("<{KG}place/brussels>")));
    assert!(has(&nt, "person/marc-lefort", "chaired", &format!("<{KG}{event}>")));
    assert!(has(&nt, "person/marc-lefort", "holds_position", &format!("<{KG}position/secretary_general_of_nato>")));
    assert!(has(&nt, "organization/european_union", "cooperates_with", &format!("<{KG}organization/nato>")));
    assert!(nt.contains(&format!("<{KG}organization/nato> <http://www.w3.org/2002/07/owl#sameAs> <http://www.wikidata.org/entity/Q7184> .")));
    assert!(nt.contains(&format!("<{KG}organization/nato> <http://www.w3.org/2000/01/rdf-schema#label> \"OTAN\"@fr .")));
    assert!(nt.contains(&format!("<{KG}organization/nato> <http://www.w3.org/2000/01/rdf-schema#label> \"NATO\"@en .")));
    // "did not attend": the summit is there, the attendance is not.
    assert!(has(&nt, "event/summit-african-union-02-ministerial-en-txt-1", "organized_by", &format!("<{KG}organization/african_union>")), "{nt}");
    assert!(!nt.contains(&format!("<{DIP}attended> <{KG}event/summit-african-union-02-ministerial-en-txt-1>")), "{nt}");

    let ttl = std::fs::read_to_string(out.path().join("graph.ttl")).unwrap();
    assert!(ttl.starts_with("@prefix"));
    assert!(ttl.contains("person:paul-durand a schema:Person ;\n\trdfs:label \"Paul Durand\"@fr ;\n\tdip:affiliated_with country:luxembourg ;"), "{ttl}");
    let dot = std::fs::read_to_string(out.path().join("graph.dot")).unwrap();
    assert!(dot.starts_with("digraph textkg {"));
    assert!(dot.contains("\"person/paul-durand\" [label=\"Paul Durand\", shape=ellipse"), "{dot}");
    assert!(dot.contains("\"person/paul-durand\" -> \"event/ministerial-meeting-brussels-nato-2019-04-03\" [label=\"attended\"];"), "{dot}");
    // An event's dates go on a line of their own under its name.
    assert!(dot.contains(&format!("\"{event}\" [label=\"")) && dot.contains("\\n2019-04-03 – 2019-04-04\", shape="), "{dot}");
    let trig = std::fs::read_to_string(out.path().join("graph.trig")).unwrap();
    assert!(trig.contains("tk:rule \"attended_fr\""), "{trig}");
}

#[test]
fn one_person_node_across_documents_and_relative_dates() {
    let corpus = tempfile::tempdir().unwrap();
    let write = |name: &str, text: &str| std::fs::write(corpus.path().join(name), text).unwrap();
    write("a.en.txt", "Brussels, 6 December 2023\n\nThe Secretary General of NATO, Mr. John Q. Fairweather, met the Prime Minister of Georgia, Mr. Paul Kettle, in Brussels. The meeting of NATO foreign ministers took place yesterday in Brussels.\n");
    write("b.en.txt", "Paris, 3 March 2024\n\nMr. Fairweather arrived in Paris today for talks with the President of France. He spoke with the press after the talks and stressed the importance of the partnership.\n");
    write("c.fr.txt", "Paris, le 4 mars 2024\n\nM. Kettle a rencontré le président de la République. Les deux dirigeants ont évoqué la situation dans la région et les réformes du pays.\n");
    // A listed person whose family name comes first, and another person of that name.
    write("d.en.txt", "Seoul, 5 March 2024\n\nPresident Yoon met Mr. Paul Kettle in Seoul today.\n");
    write("e.en.txt", "Boston, 6 March 2024\n\nMs. Stephanie Yoon, a journalist, asked a question.\n");
    let out = tempfile::tempdir().unwrap();
    let o = extract(corpus.path(), &root().join("rules"), out.path());
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let nt = std::fs::read_to_string(out.path().join("graph.nt")).unwrap();
    let persons: std::collections::BTreeSet<&str> = nt.lines().filter_map(|l| l.strip_prefix(&format!("<{KG}person/"))).filter_map(|l| l.split('>').next()).collect();
    // Initials drop out, the honorific never enters, and the surname alone
    // in other documents joins the one full name that ends with it.
    assert_eq!(persons.into_iter().collect::<Vec<_>>(), ["john-fairweather", "paul-kettle", "stephanie-yoon", "yoon_suk_yeol"], "{nt}");
    assert!(nt.contains(&format!("<{KG}person/john-fairweather> <http://www.w3.org/2004/02/skos/core#altLabel> \"Fairweather\"@en .")), "{nt}");
    // "yesterday", counted from the dateline.
    assert!(nt.contains("\"2023-12-05\"^^<http://www.w3.org/2001/XMLSchema#date>"), "{nt}");
}

#[test]
fn measured_rule_confidence_reaches_the_provenance() {
    let pack = tempfile::tempdir().unwrap();
    copy_dir(&root().join("rules"), pack.path());
    let table = pack.path().join("confidence.tsv");
    std::fs::write(&table, "# rule\tconfidence\n*\t0.9\nposition_then_person\tmuch\n").unwrap();
    let o = textkg(&["check", "--rules", pack.path().to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    assert!(stderr(&o).contains("confidence.tsv:3:"), "{}", stderr(&o));
    std::fs::write(&table, "*\t0.9\nposition_then_person\t0.5\n").unwrap();
    let out = tempfile::tempdir().unwrap();
    let o = extract(&root().join("tests/data/corpus"), pack.path(), out.path());
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let csv = std::fs::read_to_string(out.path().join("facts.csv")).unwrap();
    let confidence = |rule: &str| csv.lines().filter(|l| l.contains(&format!(",{rule},"))).map(|l| l.rsplit(',').next().unwrap().to_string()).collect::<std::collections::BTreeSet<_>>();
    assert_eq!(confidence("position_then_person").into_iter().collect::<Vec<_>>(), ["0.500"], "{csv}");
    assert_eq!(confidence("attended_fr").into_iter().collect::<Vec<_>>(), ["0.900"], "{csv}");
}

#[test]
fn a_surname_joins_the_listed_person_the_corpus_names_among_several() {
    let pack = tempfile::tempdir().unwrap();
    copy_dir(&root().join("rules"), pack.path());
    // Two listed persons end with "Lindqvist"; a text names only one of them.
    std::fs::write(
        pack.path().join("gazetteer/zz-test.tsv"),
        "key\ttype\twikidata\ten\tfr\taliases\tdemonyms\tattrs\nanna_lindqvist\tPerson\t\tAnna Lindqvist\t\t\t\t\nerik_lindqvist\tPerson\t\tErik Lindqvist\t\t\t\t\n",
    )
    .unwrap();
    std::fs::write(pack.path().join("zz-test.rules"), "gazetteer \"gazetteer/zz-test.tsv\"\n").unwrap();
    let corpus = tempfile::tempdir().unwrap();
    std::fs::write(corpus.path().join("a.en.txt"), "Minister Lindqvist met with Prime Minister Mateusz Morawiecki of Poland on 3 May 2022.\n").unwrap();
    std::fs::write(corpus.path().join("b.en.txt"), "Anna Lindqvist met with President Andrzej Duda of Poland on 4 May 2022.\n").unwrap();
    let out = tempfile::tempdir().unwrap();
    let o = extract(corpus.path(), pack.path(), out.path());
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let nt = std::fs::read_to_string(out.path().join("graph.nt")).unwrap();
    let anna = format!("<{KG}person/anna_lindqvist>");
    let mateusz = format!("<{KG}person/mateusz_morawiecki>");
    assert!(has(&nt, "person/anna_lindqvist", "met_with", &mateusz) || has(&nt, "person/mateusz_morawiecki", "met_with", &anna), "{nt}");
    assert!(!nt.contains("person/lindqvist>"), "{nt}");
}

#[test]
fn an_event_is_known_by_each_name_the_text_gives_it() {
    let nt = graph_with_rule("", "NATO Foreign Ministers met in Bucharest on 29 November 2022. The meeting of NATO Foreign Ministers was chaired by the Secretary General. The meeting ended.\n");
    let alt = |name: &str| nt.lines().any(|l| l.contains("/event/") && l.contains("skos/core#altLabel") && l.contains(&format!("\"{name}\"@en")));
    assert!(alt("meeting of NATO Foreign Ministers"), "{nt}");
    assert!(!alt("meeting") && !alt("The meeting"), "a bare mention names nothing: {nt}");
    // A name that ends with its place is also known without it, unless
    // too short to tell one year's from another's.
    let nt = graph_with_rule("", "Mr. Ann Lee joined the leaders for the U.S.-Pacific Islands Forum Leaders' Meeting in Port Moresby. The leaders will meet at the NATO Summit in Vilnius.\n");
    let alt = |name: &str| nt.lines().any(|l| l.contains("/event/") && l.contains("skos/core#altLabel") && l.contains(&format!("\"{name}\"@en")));
    assert!(alt("U.S.-Pacific Islands Forum Leaders' Meeting"), "{nt}");
    assert!(!alt("NATO Summit"), "{nt}");
    // A rule names it as other sources do with `alias` templates.
    let rule =
        "rule zz_trip\n  lang en\n  phase 2\n  match [Person a] flew to [Place p]\n  event ev trip-{a} label \"trip of {a}\" alias \"{a}'s trip to {p}\" alias \"{p} trip\"\n  emit a attended ev\n";
    let nt = graph_with_rule(rule, "Mr. Ann Lee flew to Paris.\n");
    let alt = |name: &str| nt.lines().any(|l| l.contains("/event/") && l.contains("skos/core#altLabel") && l.contains(&format!("\"{name}\"@en")));
    assert!(alt("Ann Lee's trip to Paris") && alt("Paris trip"), "{nt}");
    // And by the text's own words for what the table names otherwise (not
    // for a person, whose mention holds titles).
    let nt = graph_with_rule(rule, "Mr. Ann Lee flew to Kiev.\n");
    let alt = |name: &str| nt.lines().any(|l| l.contains("/event/") && l.contains("skos/core#altLabel") && l.contains(&format!("\"{name}\"@en")));
    assert!(alt("Kyiv trip") && alt("Kiev trip") && !alt("Mr. Ann Lee's trip to Kiev"), "{nt}");
    // `{x.surname}`: the family name, with the particles that belong to it.
    let rule = "rule zz_trip\n  lang en\n  phase 2\n  match [Person a] flew to [Place p]\n  event ev trip-{a} alias \"{a.surname}'s trip to {p}\"\n  emit a attended ev\n";
    let nt = graph_with_rule(rule, "Mr. Ann Lee flew to Paris. Mr. Jean-Yves Le Drian flew to Berlin. King Charles III flew to Rome. Mr. Ralph Hollis III flew to Oslo.\n");
    let alt = |name: &str| nt.lines().any(|l| l.contains("/event/") && l.contains("skos/core#altLabel") && l.contains(&format!("\"{name}\"@en")));
    assert!(alt("Lee's trip to Paris") && alt("Le Drian's trip to Berlin"), "{nt}");
    // A regnal number ends a name without a family name.
    assert!(alt("Charles III's trip to Rome") && !alt("III's trip to Rome"), "{nt}");
    // After a family name, the family name alone, as `gave_full_name` reads it.
    assert!(alt("Hollis's trip to Oslo"), "{nt}");
    // An ordinal written out before the name is in the name sources give.
    let nt = graph_with_rule("rule zz_lake\n  lang en\n  phase 2\n  match name:(Lake Meeting)\n  event ev meeting-lake from name\n", "They met at the eighth Lake Meeting.\n");
    let alt = |name: &str| nt.lines().any(|l| l.contains("/event/") && l.contains("skos/core#altLabel") && l.contains(&format!("\"{name}\"@en")));
    assert!(alt("eighth Lake Meeting"), "{nt}");
    // The shipped pack: a meeting of two also by the name sources give it,
    // a name ending in its body's acronym also without it.
    let nt = graph_with_rule(
        "",
        "Mr. John Smith held a bilateral meeting with Prime Minister Ann Lee of Jamaica at Jamaica House. He then addressed the 52nd General Assembly of the Organization of American States (OAS).\n",
    );
    let alt = |name: &str| nt.lines().any(|l| l.contains("/event/") && l.contains("skos/core#altLabel") && l.contains(&format!("\"{name}\"@en")));
    assert!(alt("bilateral meeting between John Smith and Ann Lee"), "{nt}");
    assert!(alt("Smith-Lee meeting"), "{nt}");
    assert!(alt("52nd General Assembly of the Organization of American States"), "{nt}");
    // A name that runs on into the title set off after a person's name is
    // also known without that title.
    let out = extracted(
        "a.fr.txt",
        "Entretien du Président de la République avec M. Xi Jinping, Président de la République populaire de Chine\n\n6 avril 2023\n\nLes deux chefs d'État ont évoqué la guerre en Ukraine.\n",
    );
    let nt = std::fs::read_to_string(out.path().join("graph.nt")).unwrap();
    assert!(nt.lines().any(|l| l.contains("/event/") && l.contains("skos/core#altLabel") && l.contains("\"Entretien du Président de la République avec M. Xi Jinping\"@fr")), "{nt}");
}

#[test]
fn a_deadline_is_no_day_the_text_narrates() {
    // "by August 17" is a limit: "earlier in the day" after it is still the
    // release's day (the `deadline` words of the pack).
    let nt = graph_with_rule(
        "",
        "July 27, 2015\n\nThe leaders agreed that the parties must reach a peace agreement by August 17. Earlier in the day, Mr. John Smith held a bilateral meeting with Mr. Paul Brown at the National Palace.\n",
    );
    assert!(nt.contains("start_date> \"2015-07-27\""), "{nt}");
    assert!(!nt.contains("2015-08-17"), "{nt}");
}

#[test]
fn parties_in_either_order_name_one_event_kind() {
    // `{a+b}` in a kind: the keys in sorted order, so that the two orders of
    // a two-party name are one event; `{a}-{b}` would keep them apart.
    let rule = |kind: &str| {
        format!("rule zz_pair\n  lang en\n  phase 2\n  match name:([Country a] \"-\" [Country b] Zz Talks)\n  event ev {kind} from name\n  emit ev organized_by a\n  emit ev organized_by b\n")
    };
    let text = "Norway-Sweden Zz Talks\n\nThe leaders met in Oslo for the Sweden-Norway Zz Talks.\n";
    let events = |nt: &str| nt.lines().filter(|l| l.contains("/event/") && l.contains("rdf-syntax-ns#type")).count();
    let nt = graph_with_rule(&rule("zz-{a+b}"), text);
    assert_eq!(events(&nt), 1, "{nt}");
    let nt = graph_with_rule(&rule("zz-{a}-{b}"), text);
    assert_eq!(events(&nt), 2, "{nt}");
}

#[test]
fn a_place_and_its_country_name_the_event_the_place_alone_named() {
    // The country is the gazetteer's `country=` of Oslo: the second mention
    // tells the event apart no more than the first.
    let nt = graph_with_rule("", "NATO Foreign Ministers meet in Oslo\n\nNATO Foreign Ministers met in Oslo, Norway, on 31 May 2023 for an informal meeting.\n");
    let events: Vec<&str> = nt.lines().filter(|l| l.contains("/event/") && l.contains("rdf-syntax-ns#type")).collect();
    assert_eq!(events.len(), 1, "{nt}");
    assert!(nt.contains(&format!("<{DIP}held_in> <{KG}country/norway>")), "{nt}");
}

#[test]
fn a_family_name_alone_is_the_one_listed_person_who_bears_it() {
    // No first name anywhere in the text: the gazetteer lists one
    // Saakashvili, so the bare titles read his country's offices; it lists
    // two Aouns (Michel and Joseph), so "Aoun" is nobody known.
    let out = extracted("a.fr.txt", "Le président Saakachvili a reçu le président Aoun et le premier ministre Ivanichvili à Tbilissi.\n");
    let nt = std::fs::read_to_string(out.path().join("graph.nt")).unwrap();
    // A word of a name the document gave, though not its last, is that
    // person, not another the gazetteer lists by it (Delcy Rodríguez).
    let out = extracted("b.en.txt", "Secretary Kerry met with Cuban Minister of Foreign Affairs Bruno Rodríguez Parrilla. Later, Foreign Minister Rodríguez met with Mr. Paul Brown.\n");
    let cuba = std::fs::read_to_string(out.path().join("graph.nt")).unwrap();
    assert!(has(&cuba, "person/bruno_rodriguez_parrilla", "met_with", &format!("<{KG}person/paul-brown>")), "{cuba}");
    assert!(!cuba.contains("person/delcy_rodriguez"), "{cuba}");
    assert!(has(&nt, "person/mikheil_saakashvili", "holds_position", &format!("<{KG}position/president_of_georgia>")), "{nt}");
    assert!(has(&nt, "person/bidzina_ivanishvili", "affiliated_with", &format!("<{KG}country/georgia>")), "{nt}");
    assert!(!nt.contains("person/michel_aoun") && !nt.contains("person/joseph_aoun"), "{nt}");
}

#[test]
fn a_name_in_lower_case_is_one_node_per_document() {
    // Each text's "free trade agreement" is its own agreement; a name the
    // gazetteer does not know but writes in capitals is one across texts.
    let corpus = tempfile::tempdir().unwrap();
    std::fs::write(corpus.path().join("a.en.txt"), "The EU and Vietnam today signed a free trade agreement in Hanoi. They also welcomed the Blue Ocean Accord.\n").unwrap();
    std::fs::write(corpus.path().join("b.en.txt"), "Canada and Chile today signed a free trade agreement in Santiago. They also welcomed the Blue Ocean Accord.\n").unwrap();
    let out = tempfile::tempdir().unwrap();
    let o = extract(corpus.path(), &root().join("rules"), out.path());
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let nt = std::fs::read_to_string(out.path().join("graph.nt")).unwrap();
    let nodes =
        |name: &str| nt.lines().filter(|l| l.contains("rdf-schema#label") && l.contains(&format!("\"{name}\"@en"))).map(|l| l.split(' ').next().unwrap()).collect::<std::collections::BTreeSet<_>>();
    assert_eq!(nodes("free trade agreement").len(), 2, "{nt}");
    assert_eq!(nodes("Blue Ocean Accord").len(), 1, "{nt}");
    let chile = nodes("free trade agreement").into_iter().find(|n| n.contains("b-en-txt")).unwrap().to_string();
    assert!(has(&nt, "country/chile", "signed", &chile), "{nt}");
    assert!(!has(&nt, "country/vietnam", "signed", &chile), "{nt}");
    // The text's one name that holds all the words is what it describes.
    let out = extracted("c.en.txt", "Canada and Peru sign free trade agreement\n\nThe Canada-Peru Free Trade Agreement was signed today in Lima.\n");
    let nt = std::fs::read_to_string(out.path().join("graph.nt")).unwrap();
    let documents: std::collections::BTreeSet<&str> = nt.lines().map(|l| l.split(' ').next().unwrap()).filter(|s| s.contains("/document/")).collect();
    assert_eq!(documents.len(), 1, "{nt}");
    assert!(nt.lines().any(|l| l.contains("rdf-schema#label") && l.contains("\"Canada-Peru Free Trade Agreement\"@en")), "{nt}");
}

#[test]
fn a_symmetric_fact_lists_each_source_once() {
    let out = extracted("a.en.txt", "On 3 May 2022, Joe Biden met with Rishi Sunak in London.\n");
    let csv = std::fs::read_to_string(out.path().join("facts.csv")).unwrap();
    let met: Vec<&str> = csv.lines().filter(|l| l.contains(",met_with,")).collect();
    assert!(!met.is_empty(), "{csv}");
    let distinct: std::collections::BTreeSet<&&str> = met.iter().collect();
    assert_eq!(distinct.len(), met.len(), "{csv}");
}

/// `check` of the shipped pack with one more rule, which reads "Ann Lee,"
/// as a person and carries an example with this expectation: its error
/// output, once it has failed.
fn check_with_name_rule(expectation: &str) -> String {
    let pack = tempfile::tempdir().unwrap();
    copy_dir(&root().join("rules"), pack.path());
    let rule = format!("rule zz_name_before_comma\n  lang en\n  phase 0\n  match name:(<Cap> <Cap>) \",\"\n  mention Person from name\n  example \"Ann Lee, who spoke.\" => {expectation}\n");
    std::fs::write(pack.path().join("zz-test.rules"), rule).unwrap();
    let o = textkg(&["check", "--rules", pack.path().to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    stderr(&o)
}

#[test]
fn a_mention_rule_that_should_find_nothing_fails_when_it_proposes_a_mention() {
    let err = check_with_name_rule("nothing");
    assert!(err.contains("rule `zz_name_before_comma` should find no mention in\n  \"Ann Lee, who spoke.\"\n  found: Person \"ann lee\""), "{err}");
}

#[test]
fn an_example_that_rejects_a_mention_fails_when_the_mention_is_found() {
    let err = check_with_name_rule("not mention Person \"Ann Lee\"");
    assert!(err.contains("rule `zz_name_before_comma` example says no mention Person \"Ann Lee\" in\n  \"Ann Lee, who spoke.\""), "{err}");
}

/// A copy of the test pack `company` whose rule file `edit` changed (it
/// must change it): the folder, the rule file and its text before.
fn company_pack_edited(edit: impl Fn(&str) -> String) -> (tempfile::TempDir, PathBuf, String) {
    let pack = tempfile::tempdir().unwrap();
    copy_dir(&root().join("tests/packs/company"), pack.path());
    let rules = pack.path().join("company.rules");
    let text = std::fs::read_to_string(&rules).unwrap();
    let edited = edit(&text);
    assert_ne!(edited, text);
    std::fs::write(&rules, edited).unwrap();
    (pack, rules, text)
}

#[test]
fn failed_examples_are_reported_in_the_order_of_the_pack() {
    let (pack, _, _) =
        company_pack_edited(|text| text.replace("=> mention Person \"Jane Doe\"", "=> mention Person \"Jane Roe\"").replace("=> mention Company \"Hooli\"", "=> mention Company \"Hoolie\""));
    // The examples run on several threads; the report keeps the file's order.
    for _ in 0..3 {
        let o = textkg(&["check", "--rules", pack.path().to_str().unwrap()]);
        assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
        let err = stderr(&o);
        let (first, second) = (err.find("mention Person \"Jane Roe\""), err.find("mention Company \"Hoolie\""));
        assert!(first.is_some() && second.is_some() && first < second, "{err}");
    }
}

#[test]
fn an_example_fails_when_the_pack_gives_a_triple_it_says_not() {
    // Another rule's triple counts too: the example names the one that gave it.
    let (pack, rules, text) = company_pack_edited(|text| text.replace("not \"Globex\" acquired \"Acme\"", "not \"Acme\" acquired \"Globex\""));
    let o = textkg(&["check", "--rules", pack.path().to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    assert!(stderr(&o).contains("rule `acquired_passive` example says no `acme acquired globex` for\n  \"Globex was acquired by Acme.\"\n  but rule `acquired_passive` gave it"), "{}", stderr(&o));
    // `not` must be followed by a whole triple.
    std::fs::write(&rules, text.replace("not \"Globex\" acquired \"Acme\"", "not \"Globex\" acquired")).unwrap();
    let o = textkg(&["check", "--rules", pack.path().to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    assert!(stderr(&o).contains("company.rules:98:"), "{}", stderr(&o));
}

/// The output folder of the shipped pack run on one file of this name and text.
fn extracted(file: &str, text: &str) -> tempfile::TempDir {
    extracted_with(&root().join("rules"), file, text)
}

/// The output folder of a pack run on one file of this name and text.
fn extracted_with(rules: &Path, file: &str, text: &str) -> tempfile::TempDir {
    let corpus = tempfile::tempdir().unwrap();
    std::fs::write(corpus.path().join(file), text).unwrap();
    let out = tempfile::tempdir().unwrap();
    let o = extract(corpus.path(), rules, out.path());
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    out
}

/// The lines of a graph file that hold `needle`.
fn lines_with(nt: &str, needle: &str) -> Vec<String> {
    nt.lines().filter(|l| l.contains(needle)).map(str::to_string).collect()
}

/// The shipped pack plus one rule, run on one English text: its graph.nt.
fn graph_with_rule(rule: &str, text: &str) -> String {
    let pack = tempfile::tempdir().unwrap();
    copy_dir(&root().join("rules"), pack.path());
    std::fs::write(pack.path().join("zz-test.rules"), rule).unwrap();
    let out = extracted_with(pack.path(), "a.en.txt", text);
    std::fs::read_to_string(out.path().join("graph.nt")).unwrap()
}

/// A rule that reads a listed event's whole name as an event names that
/// event, not a second one.
#[test]
fn a_rule_reading_a_listed_events_name_makes_no_second_event() {
    let nt = graph_with_rule("", "NATO leaders reaffirm support for Ukraine at Warsaw Summit\n\nThe Allies met in Warsaw.\n");
    let events: std::collections::BTreeSet<&str> = nt.lines().filter_map(|l| l.strip_prefix(&format!("<{KG}event/"))).filter_map(|l| l.split('>').next()).collect();
    assert_eq!(events.into_iter().collect::<Vec<_>>(), ["nato_summit_2016_warsaw"], "{nt}");
}

#[test]
fn a_listed_entity_carries_every_name_of_its_entry() {
    let nt = graph_with_rule("", "The NATO summit opened in Vilnius.\n");
    let alt = |name: &str| nt.lines().any(|l| l.starts_with(&format!("<{KG}organization/nato>")) && l.contains("core#altLabel") && l.contains(name));
    // Names the text never used, in both languages of the table.
    assert!(alt("\"North Atlantic Treaty Organization\"@en"), "{nt}");
    assert!(alt("\"OTAN\"@fr"), "{nt}");
    // The label is not repeated as an alternative.
    assert!(!alt("\"NATO\"@en"), "{nt}");
}

#[test]
fn an_office_named_with_a_bare_title_inside_is_not_that_titles_office() {
    let nt = graph_with_rule("", "The Prime Minister met the BIMSTEC Secretary General, Mr. Tenzin Lekphell, in Dhaka.\n");
    // "Secretary General" alone is a title the gazetteer gives NATO's
    // office; only a name inside the office's says whose it is.
    assert!(has(&nt, "person/tenzin-lekphell", "affiliated_with", &format!("<{KG}organization/bimstec>")), "{nt}");
    assert!(!has(&nt, "person/tenzin-lekphell", "affiliated_with", &format!("<{KG}organization/nato>")), "{nt}");
}

#[test]
fn an_event_is_not_named_over_or_inside_a_name_of_another_type() {
    let nt = graph_with_rule(
        "rule zz_forum\n  lang en\n  phase 2\n  match name:((<Cap>){1,2} (Forum|Summit))\n  event ev zz-forum/{name} from name\n\nrule zz_attended\n  lang en\n  phase 4\n  match [Person s] (attended|discussed) @article? [Event e]\n  emit s attended e\n",
        "Mr. John Smith attended the Bled Strategic Forum. Mr. Paul Brown attended the Pacific Islands Forum. Ms. Ann Lee discussed The Hague Summit Declaration.\n",
    );
    let attended = |who: &str| nt.lines().any(|l| l.starts_with(&format!("<{KG}person/{who}>")) && l.contains(&format!("<{DIP}attended>")));
    // A name no table knows is read as the event.
    assert!(attended("john-smith"), "{nt}");
    // The organisation's name and a part of the document's name are no events.
    assert!(!attended("paul-brown"), "{nt}");
    assert!(!attended("ann-lee"), "{nt}");
    assert!(!nt.contains("\"Hague Summit\""), "{nt}");
}

#[test]
fn an_event_named_by_an_unmatched_capture_is_not_made() {
    let nt = graph_with_rule(
        "rule zz_talks\n  lang en\n  phase 2\n  match after the name:(zz talks in [Place p]) (and the name2:(zz talks in [Place q]))?\n  event ev zz-talks new from name\n  event ev2 zz-talks new from name2\n  emit ev held_in p\n  emit ev2 held_in q\n",
        "The ministers met again, after the zz talks in Tunis.\n",
    );
    let events = nt.lines().filter(|l| l.contains("/event/zz-talks") && l.contains("rdf-syntax-ns#type")).count();
    // One event: the second, optional name matched nothing.
    assert_eq!(events, 1, "{nt}");
    assert!(nt.contains("\"zz talks in Tunis\""), "{nt}");
}

#[test]
fn the_main_event_of_a_section_is_the_one_its_heading_names() {
    // The first Council is mentioned more, but the section under the
    // second Council's heading (and under a sub-heading that names no
    // event) is about the second, even where a sentence gives the date of
    // the first ("After 10 December, Ministers …").
    let text = "Foreign Affairs Council and General Affairs Council\n\nThe Foreign Affairs Council met on 10 December 2018 and the General Affairs Council on 11 December 2018, in Brussels.\n\nForeign Affairs Council\n\nThe Foreign Affairs Council discussed Iran. The Foreign Affairs Council also discussed Libya.\n\nGeneral Affairs Council\n\nEnlargement\n\nMinisters discussed Serbia. After 10 December, Ministers discussed Albania.\n";
    let nt = graph_with_rule("", text);
    let discussed = |country: &str| nt.lines().filter(|l| l.contains(&format!("<{DIP}discussed>")) && l.contains(&format!("country/{country}>"))).map(str::to_string).collect::<Vec<_>>();
    let (iran, serbia, albania) = (discussed("iran"), discussed("serbia"), discussed("albania"));
    assert_eq!((iran.len(), serbia.len(), albania.len()), (1, 1, 1), "{nt}");
    assert!(iran[0].contains("foreign-affairs"), "{nt}");
    assert!(serbia[0].contains("general-affairs"), "{nt}");
    assert!(albania[0].contains("general-affairs"), "{nt}");
}

#[test]
fn a_title_that_opens_with_an_event_names_the_event_of_the_text() {
    // The December Council is named more, and a sub-heading names it as a
    // topic; the report's title says the text is about the General Affairs
    // Council, which is also long past the report's date.
    let text = "General Affairs Council\n\nDebated on Monday 23 November 2015\n\nThe Minister for Europe: I attended the General Affairs Council (GAC) on 17 November in Brussels.\n\nPreparation for the December European Council\n\nThe Presidency presented the annotated draft agenda for the European Council of 17 and 18 December. I made clear that the Government hopes to make substantive progress at the December European Council.\n\nMigration\n\nThe Council also discussed the situation in Syria.\n";
    let nt = graph_with_rule("", text);
    let syria = nt.lines().filter(|l| l.contains(&format!("<{DIP}discussed>")) && l.contains("country/syria>")).collect::<Vec<_>>();
    assert_eq!(syria.len(), 1, "{nt}");
    assert!(syria[0].contains("general-affairs"), "{nt}");
}

#[test]
fn a_date_after_the_match_does_not_choose_its_event() {
    // The summit's dates come after "Sous la présidence de …, les
    // ministres": the chair is the meeting's, not the summit's.
    let text = "La réunion des ministres des Affaires étrangères de l'OTAN s'est tenue à Bruxelles le 19 mai 2016.\n\nSous la présidence du secrétaire général de l'OTAN, M. Paul Durand, les ministres ont préparé le sommet de l'OTAN qui aura lieu les 8 et 9 juillet 2016 à Varsovie.\n";
    let out = extracted("a.fr.txt", text);
    let nt = std::fs::read_to_string(out.path().join("graph.nt")).unwrap();
    let chaired = nt.lines().filter(|l| l.contains(&format!("<{DIP}chaired>"))).collect::<Vec<_>>();
    assert_eq!(chaired.len(), 1, "{nt}");
    assert!(chaired[0].contains("2016-05-19") && !chaired[0].contains("summit"), "{nt}");
}

#[test]
fn a_relation_can_exclude_what_another_states() {
    let nt = graph_with_rule(
        "rule zz_supports\n  lang en\n  phase 4\n  match [Person s] supports [Country c]\n  emit s supports c\n",
        "Mr. John Smith supports Ukraine. Mr. John Smith, Foreign Minister of Ukraine, arrived in Paris. Mr. John Smith supports France.\n",
    );
    // `supports` excludes `affiliated_with` (rules/schema.rules), even when
    // the affiliation comes later in the document.
    assert!(has(&nt, "person/john-smith", "affiliated_with", &format!("<{KG}country/ukraine>")), "{nt}");
    assert!(has(&nt, "person/john-smith", "supports", &format!("<{KG}country/france>")), "{nt}");
    assert!(!has(&nt, "person/john-smith", "supports", &format!("<{KG}country/ukraine>")), "{nt}");
}

/// The graph of a text where "E looked at C" is read as E discussing C, and
/// whether it has E discussing Georgia and Moldova.
fn topics_of_the_summit(who_attended: &str) -> (String, bool, bool) {
    let nt = graph_with_rule(
        "rule zz_topic\n  lang en\n  phase 4\n  match [Event e] looked at [Country c]\n  emit e discussed c\n",
        &format!("The NATO summit opened in Vilnius on 11 July 2023. {who_attended} attended the NATO summit. The NATO summit looked at Georgia. The NATO summit looked at Moldova.\n"),
    );
    let topic = |c: &str| nt.lines().any(|l| l.contains(&format!("<{DIP}discussed> <{KG}country/{c}>")));
    let (georgia, moldova) = (topic("georgia"), topic("moldova"));
    (nt, georgia, moldova)
}

#[test]
fn a_relation_can_exclude_what_another_states_the_other_way() {
    // `discussed` excludes `inverse attended` (rules/schema.rules): a
    // meeting does not discuss a country that attended it.
    let (nt, georgia, moldova) = topics_of_the_summit("Georgia");
    assert!(nt.lines().any(|l| l.starts_with(&format!("<{KG}country/georgia> <{DIP}attended>"))), "{nt}");
    assert!(moldova && !georgia, "{nt}");
}

#[test]
fn a_relation_can_exclude_what_two_statements_give() {
    // `discussed` excludes `inverse attended then affiliated_with`
    // (rules/schema.rules): nor the country of one who attended it.
    let (nt, georgia, moldova) = topics_of_the_summit("Mr. John Smith, Foreign Minister of Georgia,");
    assert!(has(&nt, "person/john-smith", "affiliated_with", &format!("<{KG}country/georgia>")), "{nt}");
    assert!(moldova && !georgia, "{nt}");
}

/// The graph of a text with one more rule: "A spoke to C" is read as A
/// supporting C, so that the tests below can tell which person a name is.
fn spoke_graph(text: &str) -> String {
    graph_with_rule("rule zz_spoke\n  lang en\n  phase 4\n  match [Person s] spoke to [Country c]\n  emit s supports c\n", text)
}

#[test]
fn a_family_name_alone_is_the_person_the_document_named_in_full() {
    let nt = spoke_graph("Envoy Daleep Singh arrived in Paris. Singh spoke to France. Envoy Ann Lee and Envoy Bob Lee arrived. Lee spoke to Italy. Ravi Singh spoke to Spain.\n");
    let supported = |c: &str| nt.lines().any(|l| l.contains(&format!("<{DIP}supports> <{KG}country/{c}>")));
    assert!(has(&nt, "person/daleep-singh", "supports", &format!("<{KG}country/france>")), "{nt}");
    // Two persons end with "Lee": the name alone is neither.
    assert!(!supported("italy"), "{nt}");
    // Inside a longer name, the family name is not the person named before.
    assert!(!supported("spain"), "{nt}");
    // A person the gazetteer lists, named in full with no title: the same.
    let nt = spoke_graph("Federica Mogherini arrived in Manila. Mogherini spoke to Japan.\n");
    assert!(has(&nt, "person/federica_mogherini", "supports", &format!("<{KG}country/japan>")), "{nt}");
}

#[test]
fn a_family_name_opened_by_a_hyphenated_particle_is_the_person_too() {
    let nt = spoke_graph("Envoy Adel al-Nasser arrived in Paris. Minister al-Nasser spoke to France. Later al-Nasser spoke to Italy. Then Karim al-Nasser spoke to Spain.\n");
    // After title words, and alone: the particle belongs to the family name.
    assert!(has(&nt, "person/adel-al-nasser", "supports", &format!("<{KG}country/france>")), "{nt}");
    assert!(has(&nt, "person/adel-al-nasser", "supports", &format!("<{KG}country/italy>")), "{nt}");
    // After another given name it is someone else.
    assert!(!has(&nt, "person/adel-al-nasser", "supports", &format!("<{KG}country/spain>")), "{nt}");
}

#[test]
fn a_full_name_again_is_the_person_the_document_named_before() {
    let nt = spoke_graph("Envoy Daleep Singh arrived in Paris. Later Daleep Singh spoke to France. Prime Minister Daleep Singh spoke to Italy. Then Ravi Daleep Singh spoke to Spain.\n");
    let supported = |c: &str| nt.lines().any(|l| l.contains(&format!("<{DIP}supports> <{KG}country/{c}>")));
    // Nothing but the name itself marks it: no title, no honorific.
    assert!(has(&nt, "person/daleep-singh", "supports", &format!("<{KG}country/france>")), "{nt}");
    // The name ends a run of capitalised words: the title before it is no part of it.
    assert!(has(&nt, "person/daleep-singh", "supports", &format!("<{KG}country/italy>")), "{nt}");
    // A longer name that ends with it is someone else.
    assert!(!supported("spain"), "{nt}");
}

#[test]
fn an_acronym_the_document_defines_names_the_entity_again() {
    let nt = graph_with_rule(
        "rule zz_backs\n  lang en\n  phase 4\n  match [Organization s] backs [Country c]\n  emit s supports c\n",
        "Ministers met the League of Arab States (LAS) in Cairo. Later LAS backs Sudan. Then DAS backs Chad.\n",
    );
    assert!(has(&nt, "organization/arab_league", "supports", &format!("<{KG}country/sudan>")), "{nt}");
    // Only the acronym defined: another word in capitals is nothing.
    assert!(!nt.lines().any(|l| l.contains(&format!("<{DIP}supports> <{KG}country/chad>"))), "{nt}");
}

#[test]
fn an_acronym_defined_inside_the_name_of_an_event_is_still_defined() {
    // The pack's rules read the opening of the centre as an event named over
    // the bracket; the acronym is the initiative's all the same.
    let nt = graph_with_rule(
        "rule zz_backs\n  lang en\n  phase 4\n  match [Organization s] backs [Country c]\n  emit s supports c\n",
        "Ann Lee inaugurated the Istanbul Cooperation Initiative (ICI) Regional Centre in Kuwait City on 24 January 2017. Later ICI backs Sudan.\n",
    );
    assert!(has(&nt, "organization/istanbul_cooperation_initiative", "supports", &format!("<{KG}country/sudan>")), "{nt}");
}

#[test]
fn a_name_that_runs_from_a_country_into_a_known_person_is_that_person() {
    // The rule reads three capitalised words after "of" as a name; the first
    // is a country and the other two a person the gazetteer knows.
    let nt = graph_with_rule(
        "rule zz_name\n  phase 0\n  match leader of name:(<Cap> <Cap> <Cap>) \",\"\n  mention Person from name\n  example \"x\" => nothing\n\nrule zz_spoke\n  lang en\n  phase 4\n  match [Person p] \",\" spoke\n  emit p affiliated_with key:nato\n",
        "At the invitation of the party leader of Germany Olaf Scholz, spoke many.\n",
    );
    assert!(has(&nt, "person/olaf_scholz", "affiliated_with", &format!("<{KG}organization/nato>")), "{nt}");
    assert!(!nt.contains("germany-olaf-scholz"), "{nt}");
}

#[test]
fn a_comma_a_name_took_as_its_own_still_separates_a_list() {
    // zz_titled makes "Leader Ann Lee," one mention, comma included (as an
    // office before a name closes its apposition); the list rule still finds
    // the comma between the names, and a rule without it still reads the
    // name's own comma as part of the name.
    let rules = "rule zz_titled\n  lang en\n  phase 0\n  match name:(Leader <Cap> <Cap> \",\")\n  mention Person from name\n  example \"x\" => nothing\n\n\
                 rule zz_list\n  lang en\n  phase 4\n  match [Person s] \",\" [Person t] frobbed\n  emit s met_with t\n\n\
                 rule zz_spoke\n  lang en\n  phase 4\n  match [Person p] spoke\n  emit p affiliated_with key:japan\n";
    let nt = graph_with_rule(rules, "Leader Ann Lee, Mr. Paul Brown frobbed. Then Leader John Smith, spoke.\n");
    assert!(has(&nt, "person/leader-ann-lee", "met_with", &format!("<{KG}person/paul-brown>")), "{nt}");
    assert!(has(&nt, "person/leader-john-smith", "affiliated_with", &format!("<{KG}country/japan>")), "{nt}");
}

#[test]
fn a_match_that_names_only_what_is_known_leaves_the_reading_it_beat() {
    // zz_known, the longer match, names again a person the gazetteer found;
    // zz_new, which it beats, names one nobody has: it still applies.
    let rules = "rule zz_known\n  lang en\n  phase 0\n  match name:([Person]) \",\" and Leader <Cap> <Cap>\n  mention Person from name\n  example \"x\" => nothing\n\n\
                 rule zz_new\n  lang en\n  phase 0\n  match Leader n:(<Cap> <Cap>) arrived\n  mention Person from n\n  example \"x\" => nothing\n\n\
                 rule zz_arrived\n  lang en\n  phase 4\n  match [Person p] arrived\n  emit p affiliated_with key:japan\n";
    let nt = graph_with_rule(rules, "Toomas Hendrik Ilves, and Leader Raimo Vesikko arrived.\n");
    assert!(has(&nt, "person/raimo-vesikko", "affiliated_with", &format!("<{KG}country/japan>")), "{nt}");
}

#[test]
fn the_name_a_longer_name_holds_is_not_the_one_named_last() {
    // "Abraham Accords" (the gazetteer's) lies inside the longer name a rule
    // reads; "the agreement" after it is the longer one.
    let rules = "rule zz_signed_it\n  lang en\n  phase 4\n  match [Country s] frobbed the agreement\n  emit s signed last(Document)\n";
    let nt = graph_with_rule(rules, "They welcomed the Abraham Accords Peace Agreement. Israel frobbed the agreement.\n");
    assert!(has(&nt, "country/israel", "signed", &format!("<{KG}document/abraham-accords-peace-agreement>")), "{nt}");
    assert!(!nt.contains("diplomacy#signed> <http://textkg.example/kg/document/abraham_accords>"), "{nt}");
}

#[test]
fn respectively_pairs_the_values_of_two_lists() {
    let rule = |how: &str| format!("rule zz_pairs\n  lang en\n  phase 4\n  match [Person s] (and [Person s])+ (are|is) from [Country c] (and [Country c])+\n  emit s affiliated_with c{how}\n");
    let text = "Mr. Paul Brown and Mr. John Smith are from France and Germany.\n";
    let paired = graph_with_rule(&rule(" respectively"), text);
    assert!(has(&paired, "person/paul-brown", "affiliated_with", &format!("<{KG}country/france>")), "{paired}");
    assert!(has(&paired, "person/john-smith", "affiliated_with", &format!("<{KG}country/germany>")), "{paired}");
    assert!(!has(&paired, "person/paul-brown", "affiliated_with", &format!("<{KG}country/germany>")), "{paired}");
    // Without it, every combination.
    let all = graph_with_rule(&rule(""), text);
    assert!(has(&all, "person/paul-brown", "affiliated_with", &format!("<{KG}country/germany>")), "{all}");
}

#[test]
fn a_functional_relation_keeps_the_first_value_stated() {
    let nt = graph_with_rule(
        "rule zz_opened\n  lang en\n  phase 4\n  match [Event e] opened on [Date d]\n  emit e start_date d.start\n",
        "COP26 opened on 31 October 2021. Reporters said COP26 opened on 1 November 2021.\n",
    );
    // `start_date` is `functional` (rules/schema.rules): one per event and document.
    let dates: Vec<&str> = nt.lines().filter(|l| l.contains("start_date")).collect();
    assert_eq!(dates.len(), 1, "{nt}");
    assert!(dates[0].contains("\"2021-10-31\""), "{nt}");
}

#[test]
fn either_gives_its_second_term_only_when_the_first_names_nothing() {
    // The persons discuss only when no event they attended carries the talk.
    let rule = "rule zz_talks\n  lang en\n  phase 4\n  match ^ The two leaders frobbed [Country o]\n  emit either(object(attended,main(Person)),main(Person)) discussed o\n";
    for (text, subject) in
        [("Mr. John Smith attended the NATO Summit in Vilnius. The two leaders frobbed Ukraine.\n", "/event/"), ("Mr. John Smith arrived in Vilnius. The two leaders frobbed Ukraine.\n", "/person/")]
    {
        let nt = graph_with_rule(rule, text);
        let facts = lines_with(&nt, "discussed");
        assert_eq!(facts.len(), 1, "{nt}");
        assert!(facts[0].contains(subject) && facts[0].contains("country/ukraine"), "{nt}");
    }
}

#[test]
fn a_fallback_guess_gives_way_to_a_value_any_other_rule_states() {
    let rule = "rule zz_opened\n  lang en\n  phase 4\n  match [Event e] opened on [Date d]\n  emit e start_date d.start\n";
    let dates = |nt: &str| lines_with(nt, "start_date");
    // The shipped `event_date_fallback_before` reads a date before COP26 in
    // the first sentence; the date stated later in the document stands.
    let nt = graph_with_rule(rule, "On 1 November 2021, crowds came to COP26. COP26 opened on 31 October 2021.\n");
    let stated = dates(&nt);
    assert_eq!(stated.len(), 1, "{nt}");
    assert!(stated[0].contains("\"2021-10-31\""), "{nt}");
    // Where nothing else dates it, the guess stands.
    let nt = graph_with_rule(rule, "On 1 November 2021, crowds came to COP26.\n");
    let guessed = dates(&nt);
    assert_eq!(guessed.len(), 1, "{nt}");
    assert!(guessed[0].contains("\"2021-11-01\""), "{nt}");
}

#[test]
fn a_longer_match_that_says_nothing_leaves_the_facts_to_the_reading_it_beat() {
    // Longer than the shipped `event_place_en` over the same words, and
    // barren in a first sentence: the document has no main event yet.
    let rule = "rule zz_main_event_place\n  lang en\n  phase 3\n  match ^ The ~6 was held in [Place p]\n  emit main(Event) held_in p\n";
    let nt = graph_with_rule(rule, "The NATO summit was held in Vilnius.\n");
    assert!(nt.lines().any(|l| l.contains("#held_in>") && l.contains("vilnius")), "{nt}");
    // A longer match that does say something still wins.
    let rule = "rule zz_place_is_riga\n  lang en\n  phase 3\n  match ^ The [Event e] was held in [Place]\n  emit e held_in key:riga\n";
    let nt = graph_with_rule(rule, "The NATO summit was held in Vilnius.\n");
    let places = nt.lines().filter(|l| l.contains("#held_in>")).collect::<Vec<_>>();
    assert_eq!(places.len(), 1, "{nt}");
    assert!(places[0].contains("riga"), "{nt}");
}

#[test]
fn two_runs_give_identical_files() {
    let (a, b) = (tempfile::tempdir().unwrap(), tempfile::tempdir().unwrap());
    extract(&root().join("tests/data/corpus"), &root().join("rules"), a.path());
    let o = textkg(&["extract", "tests/data/corpus", "--out", b.path().to_str().unwrap(), "--jobs", "1", "--trig", "--nquads"]);
    assert_eq!(o.status.code(), Some(0));
    for f in ["graph.nt", "graph.ttl", "graph.dot", "graph.trig", "graph.nq"] {
        assert_eq!(std::fs::read(a.path().join(f)).unwrap(), std::fs::read(b.path().join(f)).unwrap(), "{f} differs");
    }
}

#[test]
fn no_store_writes_the_same_graph_files_and_removes_a_stale_store() {
    let (full, lean) = (tempfile::tempdir().unwrap(), tempfile::tempdir().unwrap());
    extract(&root().join("tests/data/corpus"), &root().join("rules"), full.path());
    // A store from an earlier run in the folder must not outlive the new graph.
    extract(&root().join("tests/data/corpus"), &root().join("rules"), lean.path());
    let lean_dir = lean.path().to_str().unwrap();
    let o = textkg(&["extract", "tests/data/corpus", "--out", lean_dir, "--no-store", "--no-cache"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert!(!stderr(&o).contains("store.bin"), "{}", stderr(&o));
    for f in ["graph.nt", "graph.ttl", "graph.jsonld", "graph.dot", "facts.csv"] {
        assert_eq!(std::fs::read(full.path().join(f)).unwrap(), std::fs::read(lean.path().join(f)).unwrap(), "{f} differs");
    }
    for f in ["graph.trig", "graph.nq", "store.bin"] {
        assert!(!lean.path().join(f).exists(), "{f} left behind");
    }
    let q = textkg(&["query", "--store", lean_dir, "ASK {}"]);
    assert_eq!(q.status.code(), Some(2), "{}", stderr(&q));
    assert!(stderr(&q).contains("without `--no-store`"), "{}", stderr(&q));
    let both = textkg(&["extract", "tests/data/corpus", "--out", lean_dir, "--no-store", "--shard-size", "10"]);
    assert_eq!(both.status.code(), Some(2), "{}", stderr(&both));
}

#[test]
fn the_dataset_files_are_written_on_request_and_stale_ones_removed() {
    let (with, without) = (tempfile::tempdir().unwrap(), tempfile::tempdir().unwrap());
    extract(&root().join("tests/data/corpus"), &root().join("rules"), with.path());
    // Dataset files from an earlier run in the folder must not outlive the new store.
    extract(&root().join("tests/data/corpus"), &root().join("rules"), without.path());
    let o = textkg(&["extract", "tests/data/corpus", "--out", without.path().to_str().unwrap(), "--no-cache"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    for f in ["graph.trig", "graph.nq"] {
        assert!(!without.path().join(f).exists(), "{f} left behind");
    }
    assert!(stderr(&o).contains("facts.csv,store.bin}"), "{}", stderr(&o));
    for f in ["store.bin", "graph.nt", "facts.csv"] {
        assert_eq!(std::fs::read(with.path().join(f)).unwrap(), std::fs::read(without.path().join(f)).unwrap(), "{f} differs");
    }
    // The store gives back the dataset the N-Quads file holds, quad for quad.
    let dumped = textkg(&["dump", "--store", without.path().to_str().unwrap(), "-q"]);
    assert_eq!(dumped.status.code(), Some(0), "{}", stderr(&dumped));
    let sorted = |text: &str| {
        let mut lines: Vec<String> = text.lines().map(str::to_string).collect();
        lines.sort();
        lines
    };
    let nq = std::fs::read_to_string(with.path().join("graph.nq")).unwrap();
    assert!(nq.contains("<http://textkg.example/ns#rule> "), "{nq}");
    assert_eq!(sorted(&String::from_utf8_lossy(&dumped.stdout)), sorted(&nq));
    let trig = std::fs::read_to_string(with.path().join("graph.trig")).unwrap();
    assert!(trig.contains("tk:rule "), "{trig}");
    let both = textkg(&["extract", "tests/data/corpus", "--out", without.path().to_str().unwrap(), "--no-store", "--trig"]);
    assert_eq!(both.status.code(), Some(2), "{}", stderr(&both));
}

#[test]
fn a_long_document_read_on_two_threads_gives_what_one_thread_does() {
    // Over a megabyte, a document is tokenized on a thread of its own while
    // its rules run: its sentences must come in order, and its state (names,
    // dates, events) carry over as on one thread.
    let dir = tempfile::tempdir().unwrap();
    let doc = std::fs::read_to_string(root().join("tests/data/corpus/01-ministerielle.fr.txt")).unwrap();
    let copies = (1 << 20) / doc.len() + 2;
    let text: String = (0..copies).map(|i| format!("{doc}\n\nLe {} mars, Paul Durand était à Paris.\n\n", i % 28 + 1)).collect();
    let input = dir.path().join("long.fr.txt");
    std::fs::write(&input, &text).unwrap();
    let outs: Vec<_> = ["1", "2"]
        .iter()
        .map(|j| {
            let out = dir.path().join(format!("out{j}"));
            let o = textkg(&["extract", input.to_str().unwrap(), "--out", out.to_str().unwrap(), "--jobs", j, "--no-store"]);
            assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
            out
        })
        .collect();
    let csv = std::fs::read_to_string(outs[0].join("facts.csv")).unwrap();
    assert!(csv.lines().count() > 100, "{}", &csv[..csv.len().min(2000)]);
    for f in ["graph.nt", "facts.csv", "graph.dot"] {
        assert!(std::fs::read(outs[0].join(f)).unwrap() == std::fs::read(outs[1].join(f)).unwrap(), "{f} differs");
    }
}

#[test]
fn the_number_of_threads_never_changes_the_files() {
    // More documents than a block of the parallel dataset writer (64), with
    // facts in each, so that blocks are serialised on several threads.
    let dir = tempfile::tempdir().unwrap();
    let corpus = dir.path().join("many.jsonl");
    let (first, last) = (["Paul", "Anne", "Marc", "Claire", "Luc"], ["Durand", "Moreau", "Lefort", "Girard", "Roux", "Blanc", "Petit"]);
    let mut lines = String::new();
    for i in 0..150 {
        let (a, b) = (format!("{} {}", first[i % 5], last[i % 7]), format!("{} {}", first[(i + 2) % 5], last[(i + 3) % 7]));
        lines.push_str(&format!("{{\"id\":\"doc-{i}\",\"text\":\"Le ministre luxembourgeois {a} a rencontré le Secrétaire général de l'OTAN, {b}, à Bruxelles le {} mars 2019.\"}}\n", i % 28 + 1));
    }
    std::fs::write(&corpus, lines).unwrap();
    let outs: Vec<_> = ["1", "2", "3"]
        .iter()
        .map(|j| {
            let out = dir.path().join(format!("out-{j}"));
            let o = textkg(&["extract", corpus.to_str().unwrap(), "--out", out.to_str().unwrap(), "--jobs", j, "--trig", "--nquads"]);
            assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
            out
        })
        .collect();
    let nq = std::fs::read_to_string(outs[0].join("graph.nq")).unwrap();
    assert!(nq.contains("/graph/doc-149>") && nq.contains("holds_position"), "every document's graph, with facts");
    if let Some(n) = independent_parser_accepts("trig", &outs[1].join("graph.trig")) {
        assert_eq!(n, nq.lines().count(), "the TriG, joined from blocks, holds the dataset");
    }
    for out in &outs[1..] {
        for f in ["graph.nq", "graph.trig", "graph.nt", "graph.ttl", "graph.jsonld", "graph.dot", "facts.csv"] {
            assert!(std::fs::read(outs[0].join(f)).unwrap() == std::fs::read(out.join(f)).unwrap(), "{f} differs with {}", out.display());
        }
    }
}

/// Runs an external RDF parser when it is installed (CI installs it and sets CI).
fn independent_parser_accepts(syntax: &str, file: &Path) -> Option<usize> {
    let o = match Command::new("rapper").args(["-i", syntax, "-c", file.to_str().unwrap()]).output() {
        Ok(o) => o,
        Err(_) if std::env::var_os("CI").is_none() => return None,
        Err(e) => panic!("rapper is needed in CI: {e}"),
    };
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(o.status.success(), "rapper rejected {}: {err}", file.display());
    let n = err.lines().find_map(|l| l.split("returned ").nth(1)).and_then(|s| s.split(' ').next()).and_then(|n| n.parse().ok());
    n
}

#[test]
fn raptor_reads_turtle_and_trig_and_graphviz_draws_dot() {
    let out = tempfile::tempdir().unwrap();
    extract(&root().join("tests/data/corpus"), &root().join("rules"), out.path());
    let nt_lines = std::fs::read_to_string(out.path().join("graph.nt")).unwrap().lines().count();
    if let Some(n) = independent_parser_accepts("turtle", &out.path().join("graph.ttl")) {
        assert_eq!(n, nt_lines, "Turtle and N-Triples hold the same triples");
    }
    if let Some(n) = independent_parser_accepts("trig", &out.path().join("graph.trig")) {
        let nq_lines = std::fs::read_to_string(out.path().join("graph.nq")).unwrap().lines().count();
        assert_eq!(n, nq_lines);
    }
    match Command::new("dot").args(["-Tsvg", out.path().join("graph.dot").to_str().unwrap()]).output() {
        Ok(o) => {
            assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
            assert!(String::from_utf8_lossy(&o.stdout).contains("Paul Durand"));
        }
        Err(e) => assert!(std::env::var_os("CI").is_none(), "graphviz is needed in CI: {e}"),
    }
}

#[test]
fn dump_writes_the_dataset_or_its_triples() {
    let out = tempfile::tempdir().unwrap();
    extract(&root().join("tests/data/corpus"), &root().join("rules"), out.path());
    let store = out.path().to_str().unwrap();
    let nq = std::fs::read_to_string(out.path().join("graph.nq")).unwrap();
    let o = textkg(&["dump", "--store", store, "--format", "nq"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let dumped = String::from_utf8_lossy(&o.stdout);
    let (mut a, mut b): (Vec<&str>, Vec<&str>) = (dumped.lines().collect(), nq.lines().collect());
    a.sort_unstable();
    b.sort_unstable();
    assert_eq!(a, b, "the dump holds the dataset extract wrote");
    assert!(stderr(&o).contains(&format!("dumped {} quads", b.len())), "{}", stderr(&o));
    // Turtle of every graph's triples, to a file: as many as distinct triples.
    let ttl = out.path().join("all.ttl");
    let o = textkg(&["dump", "--store", store, "--format", "ttl", "-o", ttl.to_str().unwrap(), "-q"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert!(stderr(&o).is_empty());
    let triples: std::collections::HashSet<String> = b.iter().map(|l| l.rsplit_once(" <").map_or(*l, |(t, _)| t).to_string()).collect();
    if let Some(n) = independent_parser_accepts("turtle", &ttl) {
        assert_eq!(n, triples.len());
    }
    let o = textkg(&["dump", "--store", store, "--format", "nt", "--graph", &format!("{KG}graph/entities")]);
    let entities = String::from_utf8_lossy(&o.stdout);
    assert!(entities.contains(&format!("<{KG}organization/nato> <http://www.w3.org/2002/07/owl#sameAs> <http://www.wikidata.org/entity/Q7184> .")), "{entities}");
    assert!(!entities.contains("http://textkg.example/ns#rule"), "provenance is in the documents' graphs");
    let o = textkg(&["dump", "--store", store, "--format", "trig", "--graph", "default"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("whole dataset"), "{}", stderr(&o));
}

#[test]
fn rdflib_reads_the_turtle_when_installed() {
    let out = tempfile::tempdir().unwrap();
    extract(&root().join("tests/data/corpus"), &root().join("rules"), out.path());
    let script = "import sys, rdflib\ng = rdflib.Graph(); g.parse(sys.argv[1], format='turtle')\nd = rdflib.Dataset(); d.parse(sys.argv[2], format='trig')\nprint(len(g), len(d))";
    let o = match Command::new("python3").args(["-c", script, out.path().join("graph.ttl").to_str().unwrap(), out.path().join("graph.trig").to_str().unwrap()]).output() {
        Ok(o) => o,
        Err(_) => return,
    };
    let err = String::from_utf8_lossy(&o.stderr);
    if err.contains("No module named 'rdflib'") && std::env::var_os("CI").is_none() {
        return;
    }
    assert!(o.status.success(), "rdflib: {err}");
    let counts: Vec<usize> = String::from_utf8_lossy(&o.stdout).split_whitespace().map(|n| n.parse().unwrap()).collect();
    assert!(counts[0] > 20 && counts[1] > counts[0], "{counts:?}");
}

#[test]
fn query_prints_tables_and_results_formats() {
    let out = tempfile::tempdir().unwrap();
    extract(&root().join("tests/data/corpus"), &root().join("rules"), out.path());
    let store = out.path().to_str().unwrap();
    let q = format!("SELECT ?p WHERE {{ ?p <{DIP}attended> ?e }}");
    let o = textkg(&["query", "--store", store, &q]);
    let table = String::from_utf8_lossy(&o.stdout);
    assert!(table.contains(&format!("<{KG}person/paul-durand>")) && table.contains("1 row"), "{table}");
    let o = textkg(&["query", "--store", store, "--format", "csv", &q]);
    assert_eq!(String::from_utf8_lossy(&o.stdout), format!("p\r\n{KG}person/paul-durand\r\n"));
    let o = textkg(&["query", "--store", store, "--format", "json", "ASK { ?s ?p ?o }"]);
    assert!(String::from_utf8_lossy(&o.stdout).contains("\"boolean\":true"));
    // Provenance is queryable: the rule and the character span of the fact.
    let prov = "PREFIX tk: <http://textkg.example/ns#> PREFIX rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#> \
                SELECT ?rule ?start WHERE { ?st rdf:predicate <http://textkg.example/diplomacy#attended> ; tk:rule ?rule ; tk:start ?start }";
    let o = textkg(&["query", "--store", store, "--format", "tsv", prov]);
    assert!(String::from_utf8_lossy(&o.stdout).contains("\"attended_fr\"\t"), "{}", String::from_utf8_lossy(&o.stdout));
    let o = textkg(&["query", "--store", store, "SELECT nonsense"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("invalid SPARQL"));
    let o = textkg(&["query", "--store", "/nonexistent", "ASK {}"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("run `textkg extract` first"));
}

#[test]
fn bad_inputs_are_reported_and_skipped() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("a-good.txt"), "Le ministre Paul Durand a participé à la réunion ministérielle de l'OTAN.").unwrap();
    std::fs::write(dir.path().join("b-latin1.txt"), b"Le ministre \xe9tait l\xe0.").unwrap();
    std::fs::write(dir.path().join("c-empty.txt"), "").unwrap();
    std::fs::write(dir.path().join("d-binary.txt"), b"PK\x03\x04\x00\x00").unwrap();
    std::fs::write(dir.path().join("e.jsonl"), "{\"id\": \"r1\", \"text\": \"NATO met.\"}\n{broken\n").unwrap();
    std::fs::write(dir.path().join("f-german.txt"), "Die Minister der Staaten haben sich heute getroffen, um über die Lage im Osten und die Zusammenarbeit zu sprechen. Der Generalsekretär sagte, dass weitere Treffen geplant seien und dass die Gespräche fortgesetzt werden sollen.").unwrap();
    std::os::unix::fs::symlink(dir.path(), dir.path().join("loop")).unwrap();
    std::os::unix::fs::symlink(dir.path().join("nowhere.txt"), dir.path().join("g-dangling.txt")).unwrap();
    let out = tempfile::tempdir().unwrap();
    let o = extract(dir.path(), &root().join("rules"), out.path());
    let err = stderr(&o);
    assert_eq!(o.status.code(), Some(1), "{err}");
    assert!(err.contains("b-latin1.txt: invalid UTF-8 at byte 12"), "{err}");
    assert!(err.contains("c-empty.txt: empty document"), "{err}");
    assert!(err.contains("d-binary.txt: binary file (NUL byte at byte 4)"), "{err}");
    assert!(err.contains("e.jsonl:2: invalid JSON"), "{err}");
    assert!(err.contains("f-german.txt: in a language the rule pack has no rules for (it knows en, fr)"), "{err}");
    assert!(err.contains("g-dangling.txt: cannot read: No such file or directory"), "{err}");
    assert!(err.contains("2 documents (6 skipped,"), "{err}");
    let nt = std::fs::read_to_string(out.path().join("graph.nt")).unwrap();
    assert!(nt.contains("person/paul-durand"));
    // --strict stops at the first bad input, with an error exit all the same,
    // with the reading thread (the default) and without it (`--jobs 1`).
    for jobs in ["2", "1"] {
        let o = textkg(&["extract", dir.path().to_str().unwrap(), "--out", out.path().to_str().unwrap(), "--strict", "--jobs", jobs]);
        assert_eq!(o.status.code(), Some(1));
        assert!(stderr(&o).contains("(1 skipped,"), "--jobs {jobs}: {}", stderr(&o));
    }
}

#[test]
fn the_shipped_pack_checks_clean() {
    let o = textkg(&["check"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert!(stderr(&o).contains(" 0 failed"));
}

#[test]
fn explain_shows_mentions_rules_and_near_misses() {
    let o = textkg(&["explain", "--lang", "fr", "Le ministre Paul Durand a participé à la réunion ministérielle de l'OTAN.", "--relation", "chaired"]);
    let out = String::from_utf8_lossy(&o.stdout);
    assert!(out.contains("mention [Event] \"réunion ministérielle de l'OTAN\""), "{out}");
    assert!(out.contains("rule attended_fr"), "{out}");
    assert!(out.contains("⇒ Paul Durand —attended→ réunion ministérielle de l'OTAN   [attended_fr]"), "{out}");
    assert!(out.contains("chaired: rule chaired_by_fr"), "{out}");
    // Near misses of English meeting rules, whose prefixes once panicked.
    let o = textkg(&["explain", "--lang", "en", "Deputy Jon Finer spoke with President Aleksandar Vucic of Serbia today.", "--relation", "met_with"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let out = String::from_utf8_lossy(&o.stdout);
    assert!(out.contains("met_with: rule met_with_en") && out.contains("got furthest to token"), "{out}");
    // A look-behind that failed is named with what was wanted after it.
    let o = textkg(&["explain", "--lang", "en", "He spoke with Prime Minister John Smith, the Secretary General of NATO, and others.", "--relation", "holds_position"]);
    let out = String::from_utf8_lossy(&o.stdout);
    assert!(out.contains("rule person_then_position") && out.contains("wanted a mention of Person not right after one of `admiral`"), "{out}");
    // A look-behind before the first element names the token it refused.
    let o = textkg(&["explain", "--lang", "en", "They thanked the former President John Smith of France.", "--relation", "holds_position"]);
    let out = String::from_utf8_lossy(&o.stdout);
    assert!(
        out.contains("rule split_title_president_en") && out.contains("got furthest to token 4 (\"President\"), where it wanted the word `president` not right after one of `ex`, `former`, `late`"),
        "{out}"
    );
}

#[test]
fn explain_names_the_rule_a_match_lost_to() {
    // A second rule over the same words that claims the same relation: the
    // pack's own rule comes first in the pack and wins the tie.
    let pack = tempfile::tempdir().unwrap();
    copy_dir(&root().join("tests/packs/company"), pack.path());
    std::fs::write(pack.path().join("zz-test.rules"), "rule ceo_possessive_again\n  lang en\n  phase 1\n  match [Company c] \"'s\"? @ceo [Person p]\n  emit p chief_executive_of c\n").unwrap();
    let o = textkg(&["explain", "--lang", "en", "--rules", pack.path().to_str().unwrap(), "Acme's CEO Jane Doe spoke."]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let out = String::from_utf8_lossy(&o.stdout);
    assert!(out.contains("rule ceo_possessive_again (") && out.contains("matched \"Acme's CEO Jane Doe\" but lost to ceo_after_company ("), "{out}");
    assert!(out.contains("⇒ Jane Doe —chief_executive_of→ Acme   [ceo_after_company]"), "{out}");
    // With a higher priority the new rule wins instead.
    std::fs::write(pack.path().join("zz-test.rules"), "rule ceo_possessive_again\n  lang en\n  phase 1\n  priority 1\n  match [Company c] \"'s\"? @ceo [Person p]\n  emit p chief_executive_of c\n")
        .unwrap();
    let o = textkg(&["explain", "--lang", "en", "--rules", pack.path().to_str().unwrap(), "Acme's CEO Jane Doe spoke."]);
    let out = String::from_utf8_lossy(&o.stdout);
    assert!(out.contains("rule ceo_after_company (") && out.contains("but lost to ceo_possessive_again ("), "{out}");
}

#[test]
fn rule_file_errors_are_all_reported_with_position_caret_and_suggestion() {
    let o = textkg(&["check", "--rules", "tests/packs/broken"]);
    assert_eq!(o.status.code(), Some(2));
    let err = stderr(&o);
    let expected = std::fs::read_to_string(root().join("tests/packs/broken/expected-errors.txt")).unwrap();
    assert_eq!(err, expected);
    // Pinned here too, so that a change of format shows in review.
    for fragment in [
        "error: unknown entity type `Organisation`\n  --> tests/packs/broken/a.rules:10:10\n   |\n10 |   match [Organisation o] hosted [Event e]\n   |          ^^^^^^^^^^^^\n   |\n   = help: did you mean `Organization`?\n",
        "error: unknown relation `host`\n  --> tests/packs/broken/a.rules:15:10\n   |\n15 |   emit o host e\n   |          ^^^^\n   |\n   = help: did you mean `hosts`?\n",
        "error: expected `)`\n  --> tests/packs/broken/a.rules:18:55\n",
        "error: unknown rule property `emitt`\n --> tests/packs/broken/b.rules:4:3\n  |\n4 |   emitt o hosts o\n  |   ^^^^^\n  |\n  = help: did you mean `emit`?\n",
        "error: unknown word list `stopword`\n  --> tests/packs/broken/a.rules:22:10\n",
        "error: expected `event variable kind [new] [from capture] [label \"template\"] [alias \"template\"]…`\n --> tests/packs/broken/b.rules:8:3\n",
        "error: no capture `whom` in the pattern\n  --> tests/packs/broken/b.rules:12:33\n",
        // Named patterns: an error in one is reported once, where it is written.
        "error: unknown word list `@nolist`\n  --> tests/packs/broken/b.rules:14:34\n",
        "error: pattern `&loop` includes itself\n  --> tests/packs/broken/b.rules:15:18\n",
        "error: unknown pattern `&plces`\n  --> tests/packs/broken/b.rules:18:33\n",
        "= help: did you mean `places`?",
        // An attribute's key has no place in a label.
        "error: `{o.country}`: a label names entities by their labels, not by an attribute's key\n  --> tests/packs/broken/b.rules:23:25\n",
    ] {
        assert!(err.contains(fragment), "missing from stderr: {fragment}");
    }
    assert!(err.ends_with("12 error(s) in the rule pack tests/packs/broken\n"));
}

#[test]
fn a_rule_pack_that_is_not_there_is_named_without_a_line() {
    let o = textkg(&["check", "--rules", "tests/packs/no-such-pack"]);
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    let err = stderr(&o);
    assert!(err.contains("error: cannot read the rule pack: No such file or directory"), "{err}");
    assert!(err.contains(" --> tests/packs/no-such-pack\n"), "{err}");
    // No source line to show, so no caret under an empty one.
    assert!(!err.contains('^'), "{err}");
}

#[test]
fn a_pack_for_another_domain_needs_no_rust() {
    let pack = root().join("tests/packs/company");
    let o = textkg(&["check", "--rules", pack.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let out = tempfile::tempdir().unwrap();
    let o = extract(&pack.join("corpus"), &pack, out.path());
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let nt = std::fs::read_to_string(out.path().join("graph.nt")).unwrap();
    let t = |s: &str, p: &str, o: &str| format!("<{KG}{s}> <http://example.org/company#{p}> <{KG}{o}> .");
    let facts: Vec<&str> = nt.lines().filter(|l| l.contains("example.org/company#")).collect();
    let mut expected = vec![
        t("company/acme", "acquired", "company/globex"),
        t("company/acme", "acquired", "company/initech"),
        t("company/acme", "headquartered_in", "city/springfield"),
        t("company/umbrella", "headquartered_in", "city/shelbyville"),
        t("person/jane-doe", "chief_executive_of", "company/acme"),
        // "The CEO": the one named CEO, not the later "chief executive".
        t("person/jane-doe", "chief_executive_of", "company/initech"),
        t("person/john-roe", "chief_executive_of", "company/umbrella"),
        // `implies works_for`
        t("person/jane-doe", "works_for", "company/acme"),
        t("person/jane-doe", "works_for", "company/initech"),
        t("person/john-roe", "works_for", "company/umbrella"),
    ];
    expected.sort();
    assert_eq!(facts, expected, "{nt}");
    assert!(nt.contains(&format!("<{KG}company/acme> <http://www.w3.org/1999/02/22-rdf-syntax-ns#type> <http://schema.org/Organization> .")));
}

/// The compiled pack kept between runs is read back only while the pack's
/// files are as they were: an edited table or rule file is compiled again.
#[test]
fn a_pack_edited_between_runs_is_compiled_again() {
    let (pack, cache) = (tempfile::tempdir().unwrap(), tempfile::tempdir().unwrap());
    let company = root().join("tests/packs/company");
    std::fs::create_dir(pack.path().join("gazetteer")).unwrap();
    for f in ["company.rules", "gazetteer/companies.tsv"] {
        std::fs::copy(company.join(f), pack.path().join(f)).unwrap();
    }
    let corpus = company.join("corpus");
    let run = || {
        let out = tempfile::tempdir().unwrap();
        let args = ["extract", corpus.to_str().unwrap(), "--rules", pack.path().to_str().unwrap(), "--out", out.path().to_str().unwrap(), "-q"];
        let o = command().env("TEXTKG_CACHE_DIR", cache.path()).args(args).output().unwrap();
        assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
        std::fs::read_to_string(out.path().join("graph.nt")).unwrap()
    };
    let acquired = |nt: &str| nt.lines().filter(|l| l.contains("company#acquired")).count();
    let first = run();
    assert_eq!(std::fs::read_dir(cache.path().join("packs")).unwrap().count(), 1);
    assert_eq!(run(), first);
    assert_eq!(acquired(&first), 2);
    let edit = |file: &str, from: &str, to: &str| {
        let path = pack.path().join(file);
        let text = std::fs::read_to_string(&path).unwrap();
        assert!(text.contains(from));
        std::fs::write(&path, text.replace(from, to)).unwrap();
    };
    edit("gazetteer/companies.tsv", "globex\t", "globex-corp\t");
    let renamed = run();
    assert!(renamed.contains(&format!("<{KG}company/globex-corp>")) && !renamed.contains(&format!("<{KG}company/globex>")), "{renamed}");
    edit("company.rules", "emit a acquired b", "emit b acquired a");
    let reversed = run();
    assert!(reversed.contains(&format!("<{KG}company/globex-corp> <http://example.org/company#acquired> <{KG}company/acme>")), "{reversed}");
}

/// Every rule written out in rules/README.md runs, with its examples,
/// against the shipped pack.
#[test]
fn the_rule_language_docs_examples_pass() {
    let readme = std::fs::read_to_string(root().join("rules/README.md")).unwrap();
    let mut rules = Vec::new();
    let mut block: Option<Vec<&str>> = None;
    for line in readme.lines() {
        match (&mut block, line.starts_with("```")) {
            (None, true) => block = Some(Vec::new()),
            (Some(b), true) => {
                if b.first().is_some_and(|l| l.starts_with("rule ")) {
                    rules.push(b.join("\n"));
                }
                block = None;
            }
            (Some(b), false) => b.push(line),
            (None, false) => {}
        }
    }
    assert!(rules.len() >= 2, "no rule found in rules/README.md");
    let dir = tempfile::tempdir().unwrap();
    copy_dir(&root().join("rules"), dir.path());
    let renamed: Vec<String> = rules.iter().map(|r| r.replacen("rule ", "rule readme_", 1)).collect();
    std::fs::write(dir.path().join("zz-readme.rules"), renamed.join("\n\n")).unwrap();
    let o = textkg(&["check", "--rules", dir.path().to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
}

fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for e in std::fs::read_dir(from).unwrap() {
        let p = e.unwrap().path();
        let target = to.join(p.file_name().unwrap());
        if p.is_dir() {
            copy_dir(&p, &target);
        } else {
            std::fs::copy(&p, &target).unwrap();
        }
    }
}

/// A running `textkg serve` on a free loopback port, stopped on drop.
struct Server {
    child: std::process::Child,
    addr: String,
}

impl Server {
    fn start(store: &Path, extra: &[&str]) -> Server {
        use std::io::BufRead;
        let mut child = command().args(["serve", "--store", store.to_str().unwrap(), "--bind", "127.0.0.1:0"]).args(extra).stderr(std::process::Stdio::piped()).spawn().unwrap();
        let mut line = String::new();
        std::io::BufReader::new(child.stderr.take().unwrap()).read_line(&mut line).unwrap();
        let addr = line.split("http://").nth(1).and_then(|s| s.split('/').next()).unwrap_or_else(|| panic!("{line}")).to_string();
        Server { child, addr }
    }

    /// One request; returns (status, body).
    fn request(&self, method: &str, path: &str, headers: &[(&str, &str)], body: &[u8]) -> (u16, String) {
        use std::io::{Read, Write};
        let mut s = std::net::TcpStream::connect(&self.addr).unwrap();
        s.set_read_timeout(Some(std::time::Duration::from_secs(20))).unwrap();
        let mut req = format!("{method} {path} HTTP/1.0\r\nHost: {}\r\nConnection: close\r\nContent-Length: {}\r\n", self.addr, body.len());
        for (k, v) in headers {
            req.push_str(&format!("{k}: {v}\r\n"));
        }
        req.push_str("\r\n");
        s.write_all(req.as_bytes()).unwrap();
        let _ = s.write_all(body);
        let mut resp = Vec::new();
        let _ = s.read_to_end(&mut resp);
        let resp = String::from_utf8_lossy(&resp).into_owned();
        let status = resp.split(' ').nth(1).and_then(|c| c.parse().ok()).unwrap_or(0);
        let (head, body) = resp.split_once("\r\n\r\n").unwrap_or((&resp, ""));
        let body = if head.to_ascii_lowercase().contains("transfer-encoding: chunked") { dechunk(body) } else { body.to_string() };
        (status, body)
    }
}

/// Decodes an HTTP/1.1 chunked body.
fn dechunk(mut body: &str) -> String {
    let mut out = String::new();
    while let Some((size, rest)) = body.split_once("\r\n") {
        let n = usize::from_str_radix(size.trim(), 16).unwrap_or(0);
        if n == 0 || rest.len() < n {
            break;
        }
        out.push_str(&rest[..n]);
        body = rest[n..].trim_start_matches("\r\n");
    }
    out
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn encode(q: &str) -> String {
    q.bytes().map(|b| if b.is_ascii_alphanumeric() { (b as char).to_string() } else { format!("%{b:02X}") }).collect()
}

#[test]
fn serve_answers_the_sparql_protocol_and_refuses_what_it_should() {
    let out = tempfile::tempdir().unwrap();
    extract(&root().join("tests/data/corpus"), &root().join("rules"), out.path());
    let server = Server::start(out.path(), &["--max-body", "2000", "--max-results", "5"]);
    let q = format!("SELECT ?p WHERE {{ ?p <{DIP}attended> ?e }}");
    let (status, body) = server.request("GET", &format!("/query?query={}", encode(&q)), &[("Accept", "application/sparql-results+json")], b"");
    assert_eq!(status, 200);
    assert!(body.contains("person/paul-durand"), "{body}");
    let (status, body) = server.request("POST", "/query", &[("Content-Type", "application/sparql-query"), ("Accept", "text/csv")], q.as_bytes());
    assert_eq!((status, body.as_str()), (200, format!("p\r\n{KG}person/paul-durand\r\n").as_str()));
    let form = format!("query={}", encode("ASK { ?s ?p ?o }"));
    let (status, body) = server.request("POST", "/query", &[("Content-Type", "application/x-www-form-urlencoded"), ("Accept", "application/sparql-results+xml")], form.as_bytes());
    assert!(status == 200 && body.contains("<boolean>true</boolean>"), "{body}");
    let construct = encode(&format!("CONSTRUCT {{ ?p <{DIP}attended> ?e }} WHERE {{ ?p <{DIP}attended> ?e }}"));
    let (status, body) = server.request("GET", &format!("/query?query={construct}"), &[("Accept", "application/n-triples")], b"");
    assert!(status == 200 && body.starts_with(&format!("<{KG}person/paul-durand> <{DIP}attended>")), "{body}");
    let (status, page) = server.request("GET", "/", &[], b"");
    assert!(status == 200 && page.contains("<textarea"));
    // Refusals: bad syntax, read-only, body and result limits, nesting, unknown paths.
    assert_eq!(server.request("GET", "/query?query=SELEC", &[], b"").0, 400);
    assert_eq!(server.request("POST", "/update", &[("Content-Type", "application/sparql-update")], b"CLEAR ALL").0, 403);
    assert_eq!(server.request("POST", "/query", &[("Content-Type", "application/sparql-query")], &vec![b' '; 5000]).0, 413);
    assert_eq!(server.request("GET", &format!("/query?query={}", encode("SELECT * WHERE { ?s ?p ?o }")), &[], b"").0, 413);
    let deep = format!("SELECT * WHERE {}{}", "{".repeat(5000), "}".repeat(5000));
    assert_eq!(server.request("POST", "/query", &[("Content-Type", "application/sparql-query")], deep.as_bytes()).0, 413);
    let deep = format!("SELECT * WHERE {}{}", "{".repeat(500), "}".repeat(500));
    assert_eq!(server.request("POST", "/query", &[("Content-Type", "application/sparql-query")], deep.as_bytes()).0, 400);
    assert_eq!(server.request("GET", "/nowhere", &[], b"").0, 404);
    let service = encode("SELECT * WHERE { SERVICE <http://127.0.0.1:9/sparql> { ?s ?p ?o } }");
    let (status, _) = server.request("GET", &format!("/query?query={service}"), &[], b"");
    assert!((400..600).contains(&status) && status != 200, "SERVICE must not run: {status}");
    assert_eq!(server.request("DELETE", "/query", &[], b"").0, 405);
    // Still alive after all that.
    assert_eq!(server.request("GET", &format!("/query?query={}", encode("ASK {}")), &[], b"").0, 200);
}

#[test]
fn serve_updates_only_when_allowed_and_keeps_them() {
    let out = tempfile::tempdir().unwrap();
    extract(&root().join("tests/data/corpus"), &root().join("rules"), out.path());
    let server = Server::start(out.path(), &["--allow-update"]);
    let update = "INSERT DATA { <http://ex.org/a> <http://ex.org/b> <http://ex.org/c> }";
    assert_eq!(server.request("POST", "/update", &[("Content-Type", "application/sparql-update")], update.as_bytes()).0, 204);
    drop(server);
    // Written back as N-Quads, which the next command opens instead of the store file.
    let nq = std::fs::read_to_string(out.path().join("store.nq")).unwrap();
    assert!(nq.contains("<http://ex.org/a> <http://ex.org/b> <http://ex.org/c> ."));
    assert!(!out.path().join("store.bin").exists());
    let q = textkg(&["query", "--store", out.path().to_str().unwrap(), "ASK { <http://ex.org/a> ?p ?o . ?s <http://textkg.example/ns#rule> ?r }"]);
    assert_eq!(String::from_utf8_lossy(&q.stdout).trim(), "true", "{}", stderr(&q));
    // A new extraction replaces the updated store.
    extract(&root().join("tests/data/corpus"), &root().join("rules"), out.path());
    assert!(!out.path().join("store.nq").exists() && out.path().join("store.bin").exists());
}

#[test]
fn rdflib_queries_the_endpoint_when_installed() {
    let out = tempfile::tempdir().unwrap();
    extract(&root().join("tests/data/corpus"), &root().join("rules"), out.path());
    let server = Server::start(out.path(), &[]);
    let script = format!(
        "import sys\nfrom rdflib.plugins.stores.sparqlstore import SPARQLStore\nfrom rdflib import Graph\ng = Graph(store=SPARQLStore('http://{}/query'))\nrows = list(g.query('SELECT ?p WHERE {{ ?p <{DIP}attended> ?e }}'))\nprint(len(rows), rows[0][0])",
        server.addr
    );
    let Ok(o) = Command::new("python3").args(["-c", &script]).output() else { return };
    let err = String::from_utf8_lossy(&o.stderr);
    if err.contains("No module named 'rdflib'") && std::env::var_os("CI").is_none() {
        return;
    }
    assert!(o.status.success(), "{err}");
    assert_eq!(String::from_utf8_lossy(&o.stdout).trim(), format!("1 {KG}person/paul-durand"));
}

#[test]
fn graph_views_stats_and_exports() {
    let out = tempfile::tempdir().unwrap();
    extract(&root().join("tests/data/corpus"), &root().join("rules"), out.path());
    let store = out.path().to_str().unwrap();
    let o = textkg(&["graph", "stats", "--store", store]);
    let stats = String::from_utf8_lossy(&o.stdout);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert!(stats.contains("facts by relation") && stats.contains("  attended         1"), "{stats}");
    assert!(stats.contains("most central (betweenness)"), "{stats}");
    let o = textkg(&["dot", "--store", store, "--focus", "Durand", "--depth", "1", "--relation", "attended"]);
    let dot = String::from_utf8_lossy(&o.stdout);
    assert_eq!(dot.matches(" -> ").count(), 1, "{dot}");
    assert!(dot.contains("\"person/paul-durand\" -> \"event/ministerial-meeting-brussels-nato-2019-04-03\""), "{dot}");
    let o = textkg(&["dot", "--store", store, "--cluster-by", "document"]);
    assert!(String::from_utf8_lossy(&o.stdout).contains("subgraph cluster_0 {\n    label=\"01-ministerielle.fr.txt\""));
    let o = textkg(&["dot", "--store", store, "--focus", "nobody at all"]);
    assert_eq!(o.status.code(), Some(2));
    // The views read the graph from the store file; made from the store's
    // quads instead (as after `serve --allow-update`), they are the same.
    let views = || ["graph stats", "dot", "dot --cluster-by document"].map(|v| textkg(&[v.split(' ').collect::<Vec<_>>(), vec!["--store", store]].concat()).stdout);
    let from_graph = views();
    assert!(from_graph.iter().all(|o| o.len() > 100), "{from_graph:?}");
    let o = textkg(&["dump", "--store", store, "-q", "-o", out.path().join("store.nq").to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert_eq!(views(), from_graph);
    // Made from the quads, a node is still found by a name that is not its label.
    let o = textkg(&["dot", "--store", store, "--focus", "North Atlantic Treaty Organization", "--depth", "1"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert!(String::from_utf8_lossy(&o.stdout).contains("\"organization/nato\""), "{}", String::from_utf8_lossy(&o.stdout));
    // JSON-LD holds the same triples as N-Triples; the CSV one row per fact and source.
    let jsonld = std::fs::read_to_string(out.path().join("graph.jsonld")).unwrap();
    let parsed = oxigraph::io::RdfParser::from_format(oxigraph::io::RdfFormat::from_extension("jsonld").unwrap()).for_slice(jsonld.as_bytes()).count();
    let nt = std::fs::read_to_string(out.path().join("graph.nt")).unwrap().lines().count();
    assert_eq!(parsed, nt);
    let csv = std::fs::read_to_string(out.path().join("facts.csv")).unwrap();
    assert!(csv.starts_with("subject,subject_label,relation,object,object_label,document,sentence,start,end,rule,confidence\n"));
    assert!(csv.contains(",Paul Durand,attended,"), "{csv}");
}

#[test]
fn a_rerun_redoes_only_what_changed_and_equals_a_fresh_run() {
    let dir = tempfile::tempdir().unwrap();
    let corpus = dir.path().join("corpus");
    copy_dir(&root().join("tests/data/corpus"), &corpus);
    let out = dir.path().join("out");
    extract(&corpus, &root().join("rules"), &out);
    let o = extract(&corpus, &root().join("rules"), &out);
    assert!(stderr(&o).contains("3 documents (0 skipped, 3 unchanged since the last run)"), "{}", stderr(&o));
    std::fs::write(corpus.join("03-plain.fr.txt"), "Le ministre Jean Martin a participé à la réunion ministérielle de l'OTAN.").unwrap();
    std::fs::remove_file(corpus.join("02-ministerial.en.txt")).unwrap();
    let o = extract(&corpus, &root().join("rules"), &out);
    assert!(stderr(&o).contains("2 documents (0 skipped, 1 unchanged since the last run)"), "{}", stderr(&o));
    let fresh = dir.path().join("fresh");
    let o = textkg(&["extract", corpus.to_str().unwrap(), "--out", fresh.to_str().unwrap(), "--no-cache", "--trig", "--nquads"]);
    assert_eq!(o.status.code(), Some(0));
    for f in ["graph.nt", "graph.ttl", "graph.trig", "graph.dot", "graph.nq", "facts.csv", "graph.jsonld"] {
        assert_eq!(std::fs::read(out.join(f)).unwrap(), std::fs::read(fresh.join(f)).unwrap(), "{f} differs from a fresh run");
    }
    let nt = std::fs::read_to_string(out.join("graph.nt")).unwrap();
    assert!(nt.contains("person/jean-martin"), "the changed document was read again");
    assert!(!nt.contains("event/summit-african-union-02-ministerial-en-txt-1"), "the removed document's facts are gone");
}

#[test]
fn killing_an_extraction_never_leaves_a_broken_store() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("out");
    // A first complete run on a small corpus gives a store to protect.
    extract(&root().join("tests/data/corpus"), &root().join("rules"), &out);
    let before = std::fs::read(out.join("store.bin")).unwrap();
    // A long run over many documents, killed at several moments.
    let mut lines = String::new();
    for i in 0..4000 {
        lines.push_str(&format!("{{\"id\": \"d{i}\", \"text\": \"Le ministre Jean Martin{i} a participé à la réunion ministérielle de l'OTAN les 3 et 4 mai 2019. NATO Secretary General John Roe{i} met Mr. Paul Brown.\"}}\n"));
    }
    let big = dir.path().join("big.jsonl");
    std::fs::write(&big, lines).unwrap();
    for delay in [20, 150, 400] {
        let mut child = command().args(["extract", big.to_str().unwrap(), "--out", out.to_str().unwrap(), "--quiet"]).spawn().unwrap();
        std::thread::sleep(std::time::Duration::from_millis(delay));
        let _ = child.kill();
        let _ = child.wait();
        // Whatever the moment, the store is whole: the old one or the new one.
        let now = std::fs::read(out.join("store.bin")).unwrap();
        let o = textkg(&["query", "--store", out.to_str().unwrap(), "ASK { ?s ?p ?o }"]);
        assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
        assert!(now == before || String::from_utf8_lossy(&now).contains("d3999"));
    }
    // The next run completes, and equals a clean run.
    extract(&big, &root().join("rules"), &out);
    let clean = dir.path().join("clean");
    let o = textkg(&["extract", big.to_str().unwrap(), "--out", clean.to_str().unwrap(), "--quiet", "--no-cache"]);
    assert_eq!(o.status.code(), Some(0));
    assert_eq!(std::fs::read(out.join("store.bin")).unwrap(), std::fs::read(clean.join("store.bin")).unwrap());
}

/// Oxigraph's own server, from PyPI's `oxigraph` package (CI installs it).
fn oxigraph_server() -> Option<Server> {
    let port = std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
    let addr = format!("127.0.0.1:{port}");
    let child = match Command::new("oxigraph").args(["serve", "--bind", &addr]).stderr(std::process::Stdio::null()).spawn() {
        Ok(c) => c,
        Err(e) => {
            assert!(std::env::var_os("CI").is_none(), "the oxigraph server is needed in CI: {e}");
            return None;
        }
    };
    for _ in 0..100 {
        if std::net::TcpStream::connect(&addr).is_ok() {
            return Some(Server { child, addr });
        }
        std::thread::sleep(std::time::Duration::from_millis(100));
    }
    panic!("oxigraph did not start on {addr}");
}

#[test]
fn push_to_a_real_sparql_store_replaces_and_never_duplicates() {
    let Some(client) = oxigraph_server() else { return };
    let addr = client.addr.clone();
    let out = tempfile::tempdir().unwrap();
    extract(&root().join("tests/data/corpus"), &root().join("rules"), out.path());
    let store = out.path().to_str().unwrap();
    let endpoint = format!("http://{addr}/store");
    for batch in ["100000", "7"] {
        let o = textkg(&["push", "--store", store, "--endpoint", &endpoint, "--batch", batch]);
        assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    }
    let count = encode("SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }");
    let (status, body) = client.request("GET", &format!("/query?query={count}"), &[("Accept", "text/csv")], b"");
    let quads = std::fs::read_to_string(out.path().join("graph.nq")).unwrap().lines().count();
    assert_eq!((status, body.trim().lines().last().unwrap_or("").to_string()), (200, quads.to_string()), "{body}");
    let ask = encode(&format!("ASK {{ GRAPH ?g {{ <{KG}person/paul-durand> <{DIP}attended> ?e }} }}"));
    assert!(client.request("GET", &format!("/query?query={ask}"), &[("Accept", "application/sparql-results+json")], b"").1.contains("true"));
}

#[test]
fn ten_thousand_tiny_files_and_a_load_attempt() {
    let dir = tempfile::tempdir().unwrap();
    for i in 0..10_000 {
        std::fs::write(dir.path().join(format!("{i:05}.txt")), format!("NATO met Georgia {i}.")).unwrap();
    }
    let out = tempfile::tempdir().unwrap();
    let o = extract(dir.path(), &root().join("rules"), out.path());
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert!(stderr(&o).contains("10000 documents (0 skipped"), "{}", stderr(&o));
    // LOAD of a local or remote file is refused even when updates are allowed.
    let server = Server::start(out.path(), &["--allow-update"]);
    for target in ["file:///etc/passwd", "http://127.0.0.1:9/data.ttl"] {
        let (status, _) = server.request("POST", "/update", &[("Content-Type", "application/sparql-update")], format!("LOAD <{target}>").as_bytes());
        assert_eq!(status, 400, "LOAD <{target}> must fail");
    }
    assert_eq!(server.request("GET", &format!("/query?query={}", encode("ASK { ?s ?p ?o }")), &[], b"").0, 200);
}

#[test]
fn shards_hold_the_whole_dataset() {
    let out = tempfile::tempdir().unwrap();
    let o = textkg(&["extract", "tests/data/corpus", "--out", out.path().to_str().unwrap(), "--shard-size", "10", "--nquads"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let mut shards: Vec<PathBuf> = std::fs::read_dir(out.path().join("shards")).unwrap().map(|e| e.unwrap().path()).collect();
    shards.sort();
    assert!(shards.len() > 1);
    let joined: String = shards.iter().map(|p| std::fs::read_to_string(p).unwrap()).collect();
    assert_eq!(joined, std::fs::read_to_string(out.path().join("graph.nq")).unwrap());
}

/// The query page in headless Chromium (Debian's chromium; CI installs it):
/// it runs its example query on load and shows a table and a picture.
#[test]
fn the_query_page_works_in_a_browser() {
    let out = tempfile::tempdir().unwrap();
    extract(&root().join("tests/data/corpus"), &root().join("rules"), out.path());
    let server = Server::start(out.path(), &[]);
    let profile = tempfile::tempdir().unwrap();
    let url = format!("http://{}/", server.addr);
    let run = Command::new("chromium")
        .args(["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"])
        .arg(format!("--user-data-dir={}", profile.path().display()))
        .args(["--virtual-time-budget=10000", "--dump-dom", &url])
        .output();
    let o = match run {
        Ok(o) => o,
        Err(e) => {
            assert!(std::env::var_os("CI").is_none(), "chromium is needed in CI: {e}");
            return;
        }
    };
    let dom = String::from_utf8_lossy(&o.stdout);
    assert!(dom.contains("<th>subject</th><th>relation</th><th>object</th>"), "{dom}");
    assert!(dom.contains(&format!("{KG}person/paul-durand")), "{dom}");
    assert!(dom.contains("<circle"), "the graph picture is drawn: {dom}");
}

#[test]
fn a_corpus_without_entities_still_writes_valid_trig() {
    // No entity in any document: the first block of documents is what
    // declares the TriG prefixes.
    let dir = tempfile::tempdir().unwrap();
    let corpus = dir.path().join("plain.jsonl");
    let lines: String = (0..80).map(|i| format!("{{\"id\":\"plain-{i}\",\"text\":\"The weather was mild and the river was calm.\",\"lang\":\"en\"}}\n")).collect();
    std::fs::write(&corpus, lines).unwrap();
    let out = dir.path().join("out");
    let o = textkg(&["extract", corpus.to_str().unwrap(), "--out", out.to_str().unwrap(), "--jobs", "2", "--trig", "--nquads"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let trig = std::fs::read_to_string(out.join("graph.trig")).unwrap();
    assert!(trig.starts_with("@prefix") && trig.matches("@prefix tk:").count() == 1, "{}", &trig[..trig.len().min(2000)]);
    if let Some(n) = independent_parser_accepts("trig", &out.join("graph.trig")) {
        assert_eq!(n, std::fs::read_to_string(out.join("graph.nq")).unwrap().lines().count());
    }
}

#[test]
fn profile_lists_every_rule_with_what_it_cost() {
    let o = textkg(&["profile", "tests/data/corpus", "--top", "0", "--jobs", "2"]);
    let err = stderr(&o);
    assert_eq!(o.status.code(), Some(0), "{err}");
    // "textkg: 3 documents, N sentences, R rules; …" on stderr.
    let rules: usize = err.split(" rules;").next().and_then(|h| h.rsplit(' ').next()).and_then(|n| n.parse().ok()).expect(&err);
    let out = String::from_utf8(o.stdout).unwrap();
    let mut lines = out.lines();
    assert!(lines.next().unwrap().starts_with("rule "), "{out}");
    let rows: Vec<Vec<&str>> = lines.map(|l| l.split_whitespace().collect()).collect();
    assert_eq!(rows.len(), rules, "every rule once: {out}");
    let num = |row: &Vec<&str>, k: usize| -> f64 { row[k].trim_end_matches('%').parse().unwrap() };
    for row in &rows {
        let (woken, run, matches, facts) = (num(row, 2), num(row, 3), num(row, 4), num(row, 5));
        assert!(run <= woken, "a rule runs only where its words woke it: {row:?}");
        assert!(matches <= 0.0 || run > 0.0, "{row:?}");
        assert!(facts <= 0.0 || matches > 0.0, "facts come from matches: {row:?}");
    }
    assert!(rows.iter().any(|r| num(r, 5) > 0.0), "some rule made facts: {out}");
    assert!(rows.windows(2).all(|w| num(&w[0], 6) >= num(&w[1], 6)), "the costliest first: {out}");
    let o = textkg(&["profile", "tests/data/corpus", "--top", "3"]);
    assert_eq!(String::from_utf8(o.stdout).unwrap().lines().count(), 4, "a header and three rules");
}

#[test]
fn a_fallback_match_loses_its_conflicts_with_a_rule_that_reads() {
    // A guess whose match is longer than the reading it overlaps: the reading
    // stands ("of 9 December 2021" dates the summit it follows), the guess
    // gives the NATO Summit nothing.
    let guess = "rule zz_long_guess\n  lang en\n  phase 4\n  fallback yes\n  match [Date d] and the [Event e] (!\".\"){0,12} \".\"\n  emit e start_date d.start\n  example \"They met on 9 December 2021 and the NATO Summit opened.\" => \"NATO Summit\" start_date \"2021-12-09\"\n";
    let nt = graph_with_rule(guess, "They discussed the Summit for Democracy of 9 December 2021 and the NATO Summit that the Allies will hold in Vilnius next year.\n");
    let dated = |name: &str| nt.lines().filter(|l| l.contains("start_date")).any(|l| l.contains(name));
    assert!(dated("summit-for-democracy"), "{nt}");
    assert!(!dated("nato"), "{nt}");
}

#[test]
fn an_office_a_rule_names_stops_before_the_listed_person_who_ends_it() {
    // The office the rule reads would run on into the name of the listed
    // person after it ("le Premier ministre du Canada Justin Trudeau").
    let nt = graph_with_rule(
        "rule zz_office\n  lang en\n  phase 0\n  match (the|The) name:(Chief (<Cap>){1,4})\n  mention Position from name\n\nrule zz_holds\n  lang en\n  phase 1\n  match [Position p] [Person s]\n  emit s holds_position p\n",
        "Among those present was the Chief Minister Justin Trudeau.\n",
    );
    let office = nt
        .lines()
        .find(|l| l.starts_with(&format!("<{KG}person/justin_trudeau>")) && l.contains("holds_position"))
        .and_then(|l| l.split(' ').nth(2))
        .unwrap_or_else(|| panic!("no office for the person: {nt}"));
    assert!(office.ends_with("chief-minister>"), "{office}");
}

#[test]
fn a_dateline_place_is_the_reported_events_only_where_the_text_gives_it_none() {
    let held_in = |nt: &str, place: &str| nt.lines().any(|l| l.contains(&format!("<{DIP}held_in>")) && l.contains(&format!("<{KG}place/{place}>")));
    let guessed = graph_with_rule("", "Leaders adopt declaration at the G20 Summit\n\nNew Delhi, 9 September 2023\n\nThe G20 Summit opened today with a call for unity.\n");
    assert!(held_in(&guessed, "new_delhi"), "{guessed}");
    let read = graph_with_rule("", "Leaders adopt declaration at the G20 Summit\n\nNew Delhi, 9 September 2023\n\nThe G20 Summit opened today in Mumbai with a call for unity.\n");
    assert!(held_in(&read, "mumbai") && !held_in(&read, "new_delhi"), "{read}");
}

#[test]
fn a_datelines_date_is_the_reported_events_only_where_no_other_guess_dates_it() {
    let dates = |nt: &str, rel: &str| -> Vec<String> { nt.lines().filter(|l| l.contains(&format!("<{DIP}{rel}>"))).filter_map(|l| l.split('"').nth(1)).map(str::to_string).collect() };
    // Nothing in the text dates the meeting: the dateline does.
    let guessed = graph_with_rule(
        "",
        "Joint statement following the Association Council meeting between the EU and Moldova\n\nBrussels, 30/09/2019 - 18:20\n\nThe two sides held the meeting of their Association Council today in Brussels.\n",
    );
    assert_eq!(dates(&guessed, "start_date"), ["2019-09-30"], "{guessed}");
    // A release written on a summit's last day: the days its text gives
    // (another guess, read later in the text) stand over the dateline's.
    let closing = graph_with_rule(
        "",
        "Leaders close the Francophonie Summit\n\nYerevan, 12 October 2018\n\nThe Francophonie Summit gathered leaders of 54 countries in Armenia, 11-12 October 2018, around the theme of living together.\n",
    );
    assert_eq!(dates(&closing, "start_date"), ["2018-10-11"], "{closing}");
    assert_eq!(dates(&closing, "end_date"), ["2018-10-12"], "{closing}");
}

#[test]
fn an_event_named_after_since_or_next_is_another_event() {
    let nt = graph_with_rule(
        "",
        "Quad Foreign Ministers' Meeting in Melbourne\n\n11 February 2022\n\nToday I met my Quad counterparts in Melbourne for the fourth Quad Foreign Ministers' Meeting. It was our first meeting in person since the Quad Foreign Ministers' Meeting hosted by Japan in Tokyo on 6 October 2020. The next Quad Foreign Ministers' Meeting will be held in New York.\n",
    );
    let meetings: std::collections::BTreeSet<&str> = nt.lines().filter(|l| l.contains("rdf-schema#label") && l.contains("Quad Foreign Ministers")).filter_map(|l| l.split(' ').next()).collect();
    assert_eq!(meetings.len(), 3, "{nt}");
    // Tokyo is the earlier meeting's place, not the one the text reports.
    let places = |place: &str| nt.lines().filter(|l| l.contains(&format!("<{DIP}held_in>")) && l.contains(&format!("place/{place}>"))).filter_map(|l| l.split(' ').next()).collect::<Vec<_>>();
    assert_eq!(places("tokyo").len(), 1, "{nt}");
    assert!(places("melbourne").iter().all(|m| !places("tokyo").contains(m)), "{nt}");
}

#[test]
fn a_country_the_places_of_its_match_are_not_in_is_no_place_of_the_event() {
    let nt = graph_with_rule("", "Arctic Council Ministers meet in Reykjavík, Russian Federation takes over Chairmanship\n\nThe meeting was held on 20 May 2021.\n");
    let held: Vec<&str> = nt.lines().filter(|l| l.contains(&format!("<{DIP}held_in>"))).collect();
    assert!(held.iter().any(|l| l.contains("place/reykjavik>")), "{nt}");
    assert!(!held.iter().any(|l| l.contains("country/russia>")), "{nt}");
    // Nor does the country name the event.
    assert!(!nt.contains("russia-arctic") && !nt.contains("reykjavik-russia"), "{nt}");
}

#[test]
fn a_dash_before_an_events_name_is_no_ordinal_of_it() {
    let out = extracted_with(&root().join("rules"), "a.fr.txt", "Sahel – Sommet de Pau (13 janvier 2020)\n\nLe sommet a réuni les dirigeants.\n");
    let nt = std::fs::read_to_string(out.path().join("graph.nt")).unwrap();
    assert!(nt.contains("\"Sommet de Pau\"@fr"), "{nt}");
    assert!(!nt.contains("\"– Sommet de Pau\""), "{nt}");
}

#[test]
fn a_date_after_prior_to_the_event_dates_what_follows_not_the_event() {
    let nt =
        graph_with_rule("", "The SADC Summit opened in Maputo on 23 June 2021. Prior to the summit, on 22 June, Prime Minister Paul Brown held a bilateral meeting with Prime Minister Ann Lee.\n");
    let dated = |day: &str| nt.lines().filter(|l| l.contains("start_date") && l.contains(day)).map(|l| l.split(' ').next().unwrap_or_default().to_string()).collect::<Vec<_>>();
    // "the summit, on 22 June" would otherwise name a second summit of that day.
    assert!(dated("2021-06-22").iter().all(|s| !s.contains("summit")), "{nt}");
    let summits: std::collections::BTreeSet<&str> = nt.lines().filter(|l| l.contains("rdf-schema#label") && l.to_lowercase().contains("summit")).filter_map(|l| l.split(' ').next()).collect();
    assert_eq!(summits.len(), 1, "{nt}");
    assert_eq!(dated("2021-06-23").len(), 1, "{nt}");
    assert!(dated("2021-06-22").iter().any(|s| s.contains("meeting")), "{nt}");
}

#[test]
fn a_bare_roman_numeral_opening_a_name_numbers_the_event() {
    let nt = graph_with_rule("", "The VIII Summit of the Pacific Alliance took place in Cartagena on 10 February 2014. The IX Summit of the Pacific Alliance will be held in Mexico.\n");
    let summits: std::collections::BTreeSet<&str> = nt.lines().filter(|l| l.contains("rdf-schema#label") && l.contains("Summit of the Pacific Alliance")).filter_map(|l| l.split(' ').next()).collect();
    assert_eq!(summits.len(), 2, "{nt}");
    assert!(nt.contains("\"VIII Summit of the Pacific Alliance\""), "{nt}");
}

#[test]
fn a_body_named_after_a_bare_listed_title_says_whose_the_office_is() {
    let out = extracted_with(&root().join("rules"), "a.fr.txt", "L'accord a été contresigné par M. Pierre Buyoya, haut représentant de l'Union africaine pour le Mali et le Sahel.\n");
    let nt = std::fs::read_to_string(out.path().join("graph.nt")).unwrap();
    // « haut représentant » alone is listed as the EU's High Representative.
    assert!(has(&nt, "person/pierre_buyoya", "affiliated_with", &format!("<{KG}organization/african_union>")), "{nt}");
    assert!(!has(&nt, "person/pierre_buyoya", "affiliated_with", &format!("<{KG}organization/european_union>")), "{nt}");
}

#[test]
fn a_stage_in_a_city_of_the_visited_country_is_the_same_visit() {
    let out = extracted_with(&root().join("rules"), "a.fr.txt", "Le président de la République, François Hollande, a effectué les 10 et 11 avril 2014 une visite d'État au Mexique. Le vendredi 11 avril, le président de la République s'est rendu à Monterrey, où il a rencontré des entrepreneurs.\n");
    let nt = std::fs::read_to_string(out.path().join("graph.nt")).unwrap();
    let visits: std::collections::BTreeSet<&str> = nt.lines().filter(|l| l.contains(&format!("<{DIP}held_in>"))).filter_map(|l| l.split(' ').next()).collect();
    // Monterrey is in Mexico (the gazetteer's `country=`): no second visit.
    assert_eq!(visits.len(), 1, "{nt}");
    let visit = visits.iter().next().unwrap();
    assert!(nt.contains(&format!("{visit} <{DIP}held_in> <{KG}place/monterrey> .")), "{nt}");
    assert!(nt.contains(&format!("{visit} <{DIP}held_in> <{KG}country/mexico> .")), "{nt}");
}

#[test]
fn a_title_that_opens_the_clause_before_a_name_is_that_persons() {
    // "The Prime Minister, Dr. A," records A as "the Prime Minister", so the
    // bare title read later is A.
    let nt = graph_with_rule("", "Delhi, 4 October 2011\nThe Prime Minister, Dr. Manmohan Singh, and the President of Afghanistan, Mr. Hamid Karzai, signed the Agreement. President Karzai is on a State Visit to India from 4-5 October 2011 at the invitation of the Prime Minister.\n");
    let attended = |who: &str| nt.lines().any(|l| l.starts_with(&format!("<{KG}person/{who}>")) && l.contains(&format!("<{DIP}attended>")));
    assert!(attended("manmohan_singh"), "{nt}");
    assert!(attended("hamid_karzai"), "{nt}");
}
