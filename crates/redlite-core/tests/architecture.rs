//! docs/architecture.md must stay true to the tree: every path it names in backticks
//! exists. A span is taken for a path when it has a `/` or ends in a file extension,
//! and has no spaces, `::` or placeholders (`<name>`). A path with a `/` is looked up
//! from the repository root, then from each crate and each crate's src/ (the document
//! says `src/db.rs` inside the redlite-core section); a bare file name (`lanes.rs`)
//! must exist somewhere in the tree.

use std::path::{Path, PathBuf};

const EXTENSIONS: &[&str] = &[".rs", ".md", ".toml", ".py", ".pyi", ".sql", ".lua", ".txt"];

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

/// The backticked spans of `text` that look like paths.
fn paths(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    for (i, span) in text.split('`').enumerate() {
        if i % 2 == 0 {
            continue;
        }
        let looks_like_path = span.contains('/') || EXTENSIONS.iter().any(|e| span.ends_with(e));
        let plain = !span.is_empty()
            && !span.contains(char::is_whitespace)
            && !span.contains("::")
            && !span.contains(['<', '>', '(', ')', '*', '=', '"', '\'', '@', '$', '|']);
        if looks_like_path && plain {
            out.push(span.to_string());
        }
    }
    out
}

/// Every file and folder name under `dir`, skipping build outputs and git.
fn names_under(dir: &Path, out: &mut Vec<String>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let name = entry.file_name().to_string_lossy().into_owned();
        if name == "target" || name.starts_with('.') && name != ".ci" && name != ".cargo" {
            continue;
        }
        let path = entry.path();
        if path.is_dir() {
            names_under(&path, out);
        }
        out.push(name);
    }
}

fn exists(span: &str, names: &[String]) -> bool {
    let root = root();
    let span = span.trim_end_matches('/');
    if !span.contains('/') {
        return names.iter().any(|n| n == span);
    }
    let mut bases = vec![root.clone()];
    for krate in std::fs::read_dir(root.join("crates")).unwrap().flatten() {
        bases.push(krate.path());
        bases.push(krate.path().join("src"));
    }
    bases.iter().any(|b| b.join(span).exists())
}

#[test]
fn every_path_in_architecture_md_exists() {
    let doc = std::fs::read_to_string(root().join("docs/architecture.md")).unwrap();
    let mut names = Vec::new();
    names_under(&root(), &mut names);
    let named = paths(&doc);
    assert!(named.len() > 30, "the document names few paths: {named:?}");
    let missing: Vec<&String> = named.iter().filter(|p| !exists(p, &names)).collect();
    assert!(
        missing.is_empty(),
        "docs/architecture.md names paths that do not exist: {missing:?}"
    );
}

#[test]
fn the_path_finder_finds_paths() {
    let spans = paths("`src/db.rs`, `lanes.rs`, `Db::batch`, `ext/<name>/`, `Reply`, `a b/c`");
    assert_eq!(spans, vec!["src/db.rs", "lanes.rs"]);
    let names = vec!["lanes.rs".to_string()];
    assert!(!exists("src/no_such_file.rs", &names));
    assert!(!exists("nothing.rs", &names));
    assert!(exists("docs/architecture.md", &names));
}
