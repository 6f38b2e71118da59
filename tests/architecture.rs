//! The shape of the code, checked: dependencies point one way, wire (`emby`) <- sessions
//! (`session`) <- app state (`app`) <- drawing (`ui`), the simulator (`sim`) beside them and the
//! glue (`worker`, `tui`, `cli`, `demo`) on top; and no two modules depend on each other.
//!
//! Read from the sources: every `crate::…` and `super::…` path in non-test code (in `use`
//! declarations, braces expanded, and inline) is resolved to the deepest module it names.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

/// The layers, lowest first: a module may depend on its own layer and the ones before it.
/// `player` (the external player and its IPC: a local process, neither wire nor UI) sits above
/// the wire (it takes the token as an `emby::Secret`) and below the session layer, which runs
/// a playback with it and reports it to the server.
const LAYERS: [&str; 5] = ["emby", "player", "session", "app", "ui"];

/// Modules outside the layers and what they may use.
const BESIDE: [(&str, &[&str]); 1] = [("sim", &["sim"])];

fn source_files(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            source_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

/// `src/a/b.rs` -> ["a", "b"]; `src/a/mod.rs` -> ["a"]; the crate root and the binaries -> None.
fn module_of(src: &Path, file: &Path) -> Option<Vec<String>> {
    let rel = file.strip_prefix(src).ok()?;
    let mut parts: Vec<String> = rel
        .iter()
        .map(|p| p.to_string_lossy().trim_end_matches(".rs").to_string())
        .collect();
    if parts.first().is_some_and(|p| p == "bin") || parts == ["lib"] || parts == ["main"] {
        return None;
    }
    if parts.last().is_some_and(|p| p == "mod") {
        parts.pop();
    }
    // test-only modules are not part of the shipped graph
    if parts
        .last()
        .is_some_and(|p| p == "tests" || p == "test_server")
    {
        return None;
    }
    Some(parts)
}

/// The code of a file without comments and without its `#[cfg(test)]` part (tests come last).
fn code(text: &str) -> String {
    let mut out = String::new();
    for line in text.lines() {
        let trimmed = line.trim_start();
        if trimmed.starts_with("#[cfg(test)]") {
            break;
        }
        if trimmed.starts_with("//") {
            continue;
        }
        out.push_str(line.split(" //").next().unwrap_or(""));
        out.push('\n');
    }
    out
}

/// Expands `a::{b, c::{d, e}}` into `a::b`, `a::c::d`, `a::c::e`.
fn expand(tree: &str) -> Vec<String> {
    let tree: String = tree.chars().filter(|c| !c.is_whitespace()).collect();
    let Some(open) = tree.find('{') else {
        return vec![tree];
    };
    let prefix = &tree[..open];
    let inner = &tree[open + 1..tree.rfind('}').unwrap_or(tree.len())];
    let mut items = Vec::new();
    let (mut depth, mut start) = (0, 0);
    for (i, c) in inner.char_indices() {
        match c {
            '{' => depth += 1,
            '}' => depth -= 1,
            ',' if depth == 0 => {
                items.push(&inner[start..i]);
                start = i + 1;
            }
            _ => {}
        }
    }
    items.push(&inner[start..]);
    items
        .into_iter()
        .filter(|i| !i.is_empty())
        .flat_map(|i| expand(&format!("{prefix}{i}")))
        .collect()
}

/// Every `crate::…`/`super::…` path in the code.
fn paths(code: &str) -> Vec<String> {
    let mut out = Vec::new();
    // use declarations, possibly over several lines, braces expanded
    let mut rest = code;
    while let Some(at) = rest.find("use ") {
        let before_ok = rest[..at]
            .chars()
            .last()
            .is_none_or(|c| !c.is_alphanumeric() && c != '_');
        let tail = &rest[at + 4..];
        let Some(end) = tail.find(';') else { break };
        if before_ok {
            let decl = tail[..end].trim();
            if decl.starts_with("crate::") || decl.starts_with("super::") {
                out.extend(expand(decl));
            }
        }
        rest = &tail[end..];
    }
    // inline paths
    let bytes: Vec<char> = code.chars().collect();
    let text: String = bytes.iter().collect();
    for start in ["crate::", "super::"] {
        let mut from = 0;
        while let Some(pos) = text[from..].find(start) {
            let at = from + pos;
            let prev = text[..at].chars().last();
            let end = text[at..]
                .find(|c: char| !(c.is_alphanumeric() || c == '_' || c == ':'))
                .map(|e| at + e)
                .unwrap_or(text.len());
            if prev.is_none_or(|c| !c.is_alphanumeric() && c != '_' && c != ':') {
                out.push(text[at..end].trim_end_matches(':').to_string());
            }
            from = end.max(at + start.len());
        }
    }
    out
}

/// The deepest existing module a path names, seen from module `from`.
fn resolve(
    path: &str,
    from: &[String],
    from_is_dir: bool,
    modules: &BTreeSet<Vec<String>>,
) -> Option<Vec<String>> {
    let mut segments: Vec<&str> = path.split("::").filter(|s| !s.is_empty()).collect();
    let mut base: Vec<String> = match segments.first() {
        Some(&"crate") => {
            segments.remove(0);
            Vec::new()
        }
        Some(&"super") => {
            // `super` of a file module `a/b.rs` is `a`; of `a/b/mod.rs` (module a::b) it is `a`
            let mut base = from.to_vec();
            let _ = from_is_dir;
            while segments.first() == Some(&"super") {
                segments.remove(0);
                base.pop();
            }
            base
        }
        _ => return None,
    };
    let mut best = None;
    for s in segments {
        if s == "self" {
            continue;
        }
        base.push(s.to_string());
        if modules.contains(&base) {
            best = Some(base.clone());
        } else {
            break;
        }
    }
    best
}

fn is_ancestor(a: &[String], b: &[String]) -> bool {
    a.len() <= b.len() && b[..a.len()] == *a
}

/// Module -> the modules it uses (ancestors and descendants left out: that is its own inside).
fn graph() -> BTreeMap<Vec<String>, BTreeSet<Vec<String>>> {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut files = Vec::new();
    source_files(&src, &mut files);
    let mut modules = BTreeSet::new();
    let mut sources = Vec::new();
    for f in &files {
        if let Some(m) = module_of(&src, f) {
            modules.insert(m.clone());
            let is_dir = f.ends_with("mod.rs");
            sources.push((m, is_dir, code(&std::fs::read_to_string(f).unwrap())));
        }
    }
    let mut graph: BTreeMap<Vec<String>, BTreeSet<Vec<String>>> = BTreeMap::new();
    for (m, is_dir, text) in sources {
        let deps = graph.entry(m.clone()).or_default();
        for p in paths(&text) {
            if let Some(target) = resolve(&p, &m, is_dir, &modules)
                && !is_ancestor(&target, &m)
                && !is_ancestor(&m, &target)
            {
                deps.insert(target);
            }
        }
    }
    graph
}

fn name(m: &[String]) -> String {
    m.join("::")
}

#[test]
fn the_graph_is_read_from_the_sources() {
    let g = graph();
    // a known edge of each kind, so the checks below cannot pass on an empty graph
    let has = |from: &str, to: &str| {
        g.iter()
            .any(|(m, deps)| name(m) == from && deps.iter().any(|d| name(d) == to))
    };
    assert!(has("session::reach", "emby::server"), "{g:#?}");
    assert!(has("session::hub", "session::reach"), "{g:#?}");
    assert!(has("app", "session"), "{g:#?}");
    assert!(has("worker", "app"), "{g:#?}");
    assert_eq!(
        expand("crate::a::{self, b, c::{d, e}}"),
        vec![
            "crate::a::self",
            "crate::a::b",
            "crate::a::c::d",
            "crate::a::c::e"
        ]
    );
}

#[test]
fn dependencies_point_one_way_wire_sessions_app_drawing() {
    let mut wrong = Vec::new();
    for (m, deps) in graph() {
        let top = m[0].as_str();
        let allowed: Vec<&str> = if let Some(i) = LAYERS.iter().position(|l| *l == top) {
            LAYERS[..=i].to_vec()
        } else if let Some((_, may)) = BESIDE.iter().find(|(b, _)| *b == top) {
            may.to_vec()
        } else {
            continue; // the glue on top may use anything
        };
        for d in deps {
            if !allowed.contains(&d[0].as_str()) {
                wrong.push(format!("{} uses {}", name(&m), name(&d)));
            }
        }
    }
    assert!(
        wrong.is_empty(),
        "against the layering:\n{}",
        wrong.join("\n")
    );
}

#[test]
fn no_two_modules_depend_on_each_other() {
    let g = graph();
    // every cycle shows up as a module that can reach itself
    let mut cycles = Vec::new();
    for start in g.keys() {
        let mut seen = BTreeSet::new();
        let mut stack: Vec<(Vec<String>, Vec<String>)> = g
            .get(start)
            .into_iter()
            .flatten()
            .map(|d| (d.clone(), vec![name(start), name(d)]))
            .collect();
        while let Some((m, trail)) = stack.pop() {
            if m == *start {
                cycles.push(trail.join(" -> "));
                break;
            }
            if !seen.insert(m.clone()) {
                continue;
            }
            for d in g.get(&m).into_iter().flatten() {
                let mut t = trail.clone();
                t.push(name(d));
                stack.push((d.clone(), t));
            }
        }
    }
    assert!(cycles.is_empty(), "module cycles:\n{}", cycles.join("\n"));
}
