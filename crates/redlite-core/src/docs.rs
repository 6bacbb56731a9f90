//! docs/commands.md, rendered from the command table, so the documentation lists
//! exactly the commands the code has. Regenerate with
//! `cargo run -q -p redlite-core --example gen_docs > docs/commands.md`;
//! the test `tests/docs.rs` fails while the file is out of date.

use std::fmt::Write;

use crate::command::{self, Spec};

/// The command that writes docs/commands.md.
pub const REGENERATE: &str = "cargo run -q -p redlite-core --example gen_docs > docs/commands.md";

/// Redis's command groups in the order the page shows them, with their titles.
const GROUPS: &[(&str, &str)] = &[
    ("generic", "Keys (generic)"),
    ("string", "Strings"),
    ("bitmap", "Bitmaps"),
    ("list", "Lists"),
    ("hash", "Hashes"),
    ("set", "Sets"),
    ("sorted-set", "Sorted sets"),
    ("stream", "Streams"),
    ("hyperloglog", "HyperLogLog"),
    ("geo", "Geospatial indexes"),
    ("pubsub", "Pub/Sub"),
    ("transactions", "Transactions"),
    ("scripting", "Scripting and functions"),
    ("connection", "Connection"),
    ("server", "Server"),
    ("cluster", "Cluster"),
];

/// "object|encoding" -> "OBJECT ENCODING".
fn display_name(spec: &Spec) -> String {
    spec.name.replace('|', " ").to_ascii_uppercase()
}

/// A GitHub heading anchor for a display name.
fn anchor(title: &str) -> String {
    title
        .to_ascii_lowercase()
        .chars()
        .filter_map(|c| match c {
            'a'..='z' | '0'..='9' | '-' | '_' => Some(c),
            ' ' => Some('-'),
            _ => None,
        })
        .collect()
}

fn render_one(out: &mut String, spec: &Spec) {
    let _ = writeln!(out, "### {}\n", display_name(spec));
    let _ = writeln!(out, "```\n{}\n```\n", spec.syntax);
    let _ = writeln!(out, "{}\n", spec.summary);
    if !spec.deprecated_since.is_empty() {
        // Redis marks argument names in replaced_by with '!' ("`SET` with the `!GET`
        // argument"); the page shows them plain.
        let _ = writeln!(
            out,
            "**Deprecated** since Redis {}: use {} instead.\n",
            spec.deprecated_since,
            spec.replaced_by.replace("`!", "`")
        );
    }
    if !spec.complexity.is_empty() {
        let _ = writeln!(out, "**Complexity:** {}\n", spec.complexity);
    }
    let mut facts = vec![format!("Since Redis {}", spec.since)];
    if !spec.flags.is_empty() {
        facts.push(format!("flags: {}", spec.flags.join(", ")));
    }
    if !spec.acl.is_empty() {
        let acl: Vec<String> = spec.acl.iter().map(|c| format!("@{}", c)).collect();
        facts.push(format!("ACL: {}", acl.join(", ")));
    }
    let _ = writeln!(out, "<sub>{}</sub>\n", facts.join(" · "));
}

/// The whole of docs/commands.md.
pub fn commands_markdown() -> String {
    let mut specs: Vec<&'static Spec> = command::all().collect();
    specs.sort_by_key(|s| s.name);
    let subcommands: usize = specs.iter().map(|s| s.subcommands.len()).sum();

    let mut groups: Vec<(&str, String)> = GROUPS.iter().map(|(g, t)| (*g, t.to_string())).collect();
    for s in &specs {
        if !groups.iter().any(|(g, _)| *g == s.group) {
            groups.push((s.group, s.group.to_string()));
        }
    }
    groups.retain(|(g, _)| specs.iter().any(|s| s.group == *g));

    let mut out = String::new();
    let _ = writeln!(
        out,
        "<!-- Generated from the command table (crates/redlite-core/src/command/) by\n     \
         `{}`.\n     Do not edit by hand: change the table and regenerate. -->\n",
        REGENERATE
    );
    let _ = writeln!(out, "# Commands\n");
    let _ = writeln!(
        out,
        "redlite implements {} commands ({} more as subcommands), with the replies and \
         errors of Redis 7.0. Each entry gives the syntax, what the command does (in Redis 7.0's \
         words, as `COMMAND DOCS` reports them), whether it is deprecated, its time \
         complexity, the Redis version that introduced it, and its flags and ACL \
         categories as `COMMAND INFO` reports them.\n",
        specs.len(),
        subcommands
    );
    for (group, title) in &groups {
        let names: Vec<String> = specs
            .iter()
            .filter(|s| s.group == *group)
            .map(|s| {
                let name = display_name(s);
                format!("[{}](#{})", name, anchor(&name))
            })
            .collect();
        let _ = writeln!(
            out,
            "- **[{}](#{})**: {}",
            title,
            anchor(title),
            names.join(", ")
        );
    }
    out.push('\n');
    for (group, title) in &groups {
        let _ = writeln!(out, "## {}\n", title);
        for s in specs.iter().filter(|s| s.group == *group) {
            render_one(&mut out, s);
            let mut subs: Vec<&Spec> = s.subcommands.iter().collect();
            subs.sort_by_key(|s| s.name);
            for sub in subs {
                render_one(&mut out, sub);
            }
        }
    }
    while out.ends_with("\n\n") {
        out.pop();
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn anchors_as_github_makes_them() {
        assert_eq!(anchor("OBJECT ENCODING"), "object-encoding");
        assert_eq!(anchor("Pub/Sub"), "pubsub");
        assert_eq!(anchor("Sorted sets"), "sorted-sets");
    }

    #[test]
    fn every_command_is_on_the_page() {
        let page = commands_markdown();
        for s in command::all() {
            assert!(
                page.contains(&format!("### {}\n", display_name(s))),
                "{}",
                s.name
            );
        }
    }
}
