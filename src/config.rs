//! plugins.toml: where it is found, and its strict parsing into [`Config`].
//!
//! Discovery order: `--config FILE`, `$LITEWRITE_CONFIG`, `./plugins.toml`,
//! `$XDG_CONFIG_HOME/litewrite/plugins.toml` (`~/.config` when unset), else
//! the built-in default chain (audit-log, then change-group). A file that is
//! found is parsed strictly: an unknown wrapper, key or bad value is a usage
//! error naming the file, line and key.

use std::path::{Path, PathBuf};

use serde::Deserialize;
use toml::Spanned;

use crate::db::{FileSettings, Synchronous};
use crate::error::{Error, Result};

/// The validated configuration.
#[derive(Debug, Clone, PartialEq)]
pub struct Config {
    /// Where it came from (None for the built-in default).
    pub source: Option<PathBuf>,
    /// At most this many open transactions per database.
    pub max_transactions: u32,
    /// Journal mode and durability of the database files written.
    pub file: FileSettings,
    /// Wrappers, outermost first.
    pub wrappers: Vec<WrapperConfig>,
}

/// One `[[wrapper]]` entry.
#[derive(Debug, Clone, PartialEq)]
pub enum WrapperConfig {
    AuditLog(AuditLogConfig),
    Authorizer(AuthorizerConfig),
    ChangeGroup(ChangeGroupConfig),
}

#[derive(Debug, Clone, PartialEq)]
pub struct AuditLogConfig {
    /// Also append each entry as a JSON line to this file.
    pub file: Option<PathBuf>,
    pub log_parameters: bool,
}

#[derive(Debug, Clone, PartialEq, Default)]
pub struct AuthorizerConfig {
    pub protect: Vec<String>,
    pub hide: Vec<String>,
    /// OS users (glob patterns) the rules do not restrict.
    pub allow_users: Vec<String>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct ChangeGroupConfig {
    pub tables: Vec<String>,
    pub exclude: Vec<String>,
}

impl Default for ChangeGroupConfig {
    fn default() -> Self {
        ChangeGroupConfig {
            tables: vec!["*".into()],
            exclude: vec![],
        }
    }
}

impl Default for Config {
    fn default() -> Self {
        Config {
            source: None,
            max_transactions: 5,
            file: FileSettings::default(),
            wrappers: vec![
                WrapperConfig::AuditLog(AuditLogConfig {
                    file: None,
                    log_parameters: true,
                }),
                WrapperConfig::ChangeGroup(ChangeGroupConfig::default()),
            ],
        }
    }
}

/// Finds and loads the configuration in the documented order: the
/// explicit file (--config), the one `$LITEWRITE_CONFIG` names,
/// `plugins.toml` in `cwd`, the user's (`config_home/litewrite/plugins.toml`),
/// else the built-in default.
pub fn discover(
    explicit: Option<&Path>,
    env: Option<&Path>,
    cwd: &Path,
    config_home: Option<&Path>,
) -> Result<Config> {
    if let Some(path) = explicit.or(env) {
        return load(path);
    }
    let local = cwd.join("plugins.toml");
    if local.is_file() {
        return load(&local);
    }
    if let Some(dir) = config_home {
        let path = dir.join("litewrite").join("plugins.toml");
        if path.is_file() {
            return load(&path);
        }
    }
    Ok(Config::default())
}

/// Loads one plugins.toml file.
pub fn load(path: &Path) -> Result<Config> {
    let text = std::fs::read_to_string(path)
        .map_err(|e| Error::usage(format!("can not read config file {}: {e}", path.display())))?;
    let mut config = parse(&text, &path.display().to_string())?;
    // A relative audit file is relative to the config file, not to the cwd.
    let base = path.parent().unwrap_or(Path::new(""));
    for w in &mut config.wrappers {
        if let WrapperConfig::AuditLog(a) = w {
            if let Some(f) = &a.file {
                if f.is_relative() {
                    a.file = Some(base.join(f));
                }
            }
        }
    }
    config.source = Some(path.to_path_buf());
    Ok(config)
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
struct RawConfig {
    max_transactions: Option<Spanned<i64>>,
    journal_mode: Option<Spanned<String>>,
    synchronous: Option<Spanned<String>>,
    #[serde(default)]
    wrapper: Vec<RawWrapper>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
struct RawWrapper {
    #[serde(rename = "use")]
    use_: Option<Spanned<String>>,
    sink: Option<Spanned<String>>,
    file: Option<Spanned<String>>,
    log_parameters: Option<Spanned<bool>>,
    protect: Option<Spanned<Vec<String>>>,
    hide: Option<Spanned<Vec<String>>>,
    allow_users: Option<Spanned<Vec<String>>>,
    /// Refused with a message (exemptions are by OS user, not by label).
    allow_actors: Option<Spanned<Vec<String>>>,
    tables: Option<Spanned<Vec<String>>>,
    exclude: Option<Spanned<Vec<String>>>,
}

/// Parses plugins.toml text; `name` is used in error messages.
pub fn parse(text: &str, name: &str) -> Result<Config> {
    let line_of = |offset: usize| text[..offset.min(text.len())].matches('\n').count() + 1;
    let at = |offset: usize, msg: String| {
        Error::usage(format!("{name} line {}: {msg}", line_of(offset)))
    };
    let raw: RawConfig = toml::from_str(text).map_err(|e| {
        let msg = e.message().trim().replace('`', "\"");
        match e.span() {
            Some(span) => {
                // Type errors point at the value: name the key of that line.
                let start = text[..span.start.min(text.len())]
                    .rfind('\n')
                    .map_or(0, |i| i + 1);
                let line = text[start..].lines().next().unwrap_or("");
                match line.split_once('=').map(|(k, _)| k.trim()) {
                    Some(key) if !key.is_empty() && !msg.contains(key) => {
                        at(span.start, format!("key \"{key}\": {msg}"))
                    }
                    _ => at(span.start, msg),
                }
            }
            None => Error::usage(format!("{name}: {msg}")),
        }
    })?;
    let max_transactions = match raw.max_transactions {
        None => 5,
        Some(v) if (1..=1000).contains(v.get_ref()) => *v.get_ref() as u32,
        Some(v) => {
            return Err(at(
                v.span().start,
                format!(
                    "key \"max-transactions\" must be between 1 and 1000, not {}",
                    v.get_ref()
                ),
            ))
        }
    };
    let mut file = FileSettings::default();
    if let Some(mode) = &raw.journal_mode {
        if mode.get_ref() != "wal" {
            return Err(at(
                mode.span().start,
                format!(
                    "key \"journal-mode\" must be \"wal\" (switch existing databases to WAL), not {:?}; leave it out to keep each database's own journal mode",
                    mode.get_ref()
                ),
            ));
        }
        file.wal = true;
    }
    if let Some(sync) = &raw.synchronous {
        file.synchronous = match sync.get_ref().as_str() {
            "full" => Synchronous::Full,
            "normal" => Synchronous::Normal,
            other => {
                return Err(at(
                    sync.span().start,
                    format!(
                        "key \"synchronous\" must be \"full\" (the default: commits survive power loss) or \"normal\" (faster), not {other:?}"
                    ),
                ))
            }
        };
    }
    let mut wrappers = Vec::new();
    for w in raw.wrapper {
        let Some(use_) = &w.use_ else {
            return Err(Error::usage(format!(
                "{name}: a [[wrapper]] entry has no \"use\" key (one of audit-log, authorizer, change-group)"
            )));
        };
        let kind = use_.get_ref().as_str();
        if let Some(v) = &w.allow_actors {
            return Err(at(
                v.span().start,
                "key \"allow-actors\" is not accepted: an actor is a label anyone can set with --actor; exempt OS users with allow-users = [\"deploy\"] instead".into(),
            ));
        }
        // Keys that belong to another wrapper are errors, at the key's line.
        let foreign = |key: &str, span: Option<std::ops::Range<usize>>| -> Result<()> {
            match span {
                Some(span) => Err(at(
                    span.start,
                    format!("key \"{key}\" is not an option of wrapper \"{kind}\""),
                )),
                None => Ok(()),
            }
        };
        let check_globs = |key: &str, v: &Option<Spanned<Vec<String>>>| -> Result<Vec<String>> {
            match v {
                None => Ok(vec![]),
                Some(v) => {
                    if let Some(bad) = v.get_ref().iter().find(|g| g.is_empty()) {
                        return Err(at(
                            v.span().start,
                            format!("key \"{key}\" holds an empty pattern {bad:?}"),
                        ));
                    }
                    Ok(v.get_ref().clone())
                }
            }
        };
        match kind {
            "audit-log" => {
                foreign("protect", w.protect.as_ref().map(|v| v.span()))?;
                foreign("hide", w.hide.as_ref().map(|v| v.span()))?;
                foreign("allow-users", w.allow_users.as_ref().map(|v| v.span()))?;
                foreign("tables", w.tables.as_ref().map(|v| v.span()))?;
                foreign("exclude", w.exclude.as_ref().map(|v| v.span()))?;
                if let Some(sink) = &w.sink {
                    if sink.get_ref() != "table" {
                        return Err(at(
                            sink.span().start,
                            format!(
                                "key \"sink\" must be \"table\", not {:?} (use \"file\" to also write JSON lines)",
                                sink.get_ref()
                            ),
                        ));
                    }
                }
                let file = match &w.file {
                    Some(f) if f.get_ref().is_empty() => {
                        return Err(at(f.span().start, "key \"file\" is empty".into()))
                    }
                    Some(f) => Some(PathBuf::from(f.get_ref())),
                    None => None,
                };
                wrappers.push(WrapperConfig::AuditLog(AuditLogConfig {
                    file,
                    log_parameters: w.log_parameters.as_ref().map(|v| *v.get_ref()).unwrap_or(true),
                }));
            }
            "authorizer" => {
                foreign("sink", w.sink.as_ref().map(|v| v.span()))?;
                foreign("file", w.file.as_ref().map(|v| v.span()))?;
                foreign("log-parameters", w.log_parameters.as_ref().map(|v| v.span()))?;
                foreign("tables", w.tables.as_ref().map(|v| v.span()))?;
                foreign("exclude", w.exclude.as_ref().map(|v| v.span()))?;
                wrappers.push(WrapperConfig::Authorizer(AuthorizerConfig {
                    protect: check_globs("protect", &w.protect)?,
                    hide: check_globs("hide", &w.hide)?,
                    allow_users: check_globs("allow-users", &w.allow_users)?,
                }));
            }
            "change-group" => {
                foreign("sink", w.sink.as_ref().map(|v| v.span()))?;
                foreign("file", w.file.as_ref().map(|v| v.span()))?;
                foreign("log-parameters", w.log_parameters.as_ref().map(|v| v.span()))?;
                foreign("protect", w.protect.as_ref().map(|v| v.span()))?;
                foreign("hide", w.hide.as_ref().map(|v| v.span()))?;
                foreign("allow-users", w.allow_users.as_ref().map(|v| v.span()))?;
                let tables = match &w.tables {
                    None => vec!["*".to_string()],
                    Some(_) => check_globs("tables", &w.tables)?,
                };
                wrappers.push(WrapperConfig::ChangeGroup(ChangeGroupConfig {
                    tables,
                    exclude: check_globs("exclude", &w.exclude)?,
                }));
            }
            other => {
                return Err(at(
                    use_.span().start,
                    format!(
                        "unknown wrapper {other:?} in key \"use\" (known: audit-log, authorizer, change-group)"
                    ),
                ))
            }
        }
    }
    Ok(Config {
        source: None,
        max_transactions,
        file,
        wrappers,
    })
}

/// Glob matching for table names: `*` any run, `?` one character,
/// case-insensitive like SQLite identifiers (and beyond ASCII, where it
/// only makes a pattern match more).
pub fn glob_match(pattern: &str, name: &str) -> bool {
    let fold = |s: &str| -> Vec<char> { s.chars().flat_map(char::to_lowercase).collect() };
    glob_chars(&fold(pattern), &fold(name))
}

/// True when `allow-users` exempts this OS user. User names are matched
/// exactly as the system spells them (`deploy` and `Deploy` are different
/// users), `*` and `?` as in table patterns.
pub fn exempts(allow_users: &[String], user: &str) -> bool {
    let n: Vec<char> = user.chars().collect();
    allow_users
        .iter()
        .any(|p| glob_chars(&p.chars().collect::<Vec<_>>(), &n))
}

/// `*` any run, `?` one character, else the same character.
fn glob_chars(p: &[char], n: &[char]) -> bool {
    let (mut pi, mut ni) = (0, 0);
    let (mut star, mut mark) = (None, 0);
    while ni < n.len() {
        if pi < p.len() && (p[pi] == '?' || p[pi] == n[ni]) {
            pi += 1;
            ni += 1;
        } else if pi < p.len() && p[pi] == '*' {
            star = Some(pi);
            mark = ni;
            pi += 1;
        } else if let Some(s) = star {
            pi = s + 1;
            mark += 1;
            ni = mark;
        } else {
            return false;
        }
    }
    p[pi..].iter().all(|&c| c == '*')
}

/// True when any pattern matches.
pub fn any_glob(patterns: &[String], name: &str) -> bool {
    patterns.iter().any(|p| glob_match(p, name))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_the_spec_example() {
        let text = r#"
max-transactions = 5

[[wrapper]]
use = "audit-log"
sink = "table"
log-parameters = true

[[wrapper]]
use = "authorizer"
protect = ["payroll", "config_*"]
hide = ["secrets"]
allow-users = ["deploy"]

[[wrapper]]
use = "change-group"
tables = ["*"]
exclude = ["logs_*"]
"#;
        let c = parse(text, "plugins.toml").unwrap();
        assert_eq!(c.max_transactions, 5);
        assert_eq!(c.wrappers.len(), 3);
        assert!(
            matches!(&c.wrappers[1], WrapperConfig::Authorizer(a) if a.protect == ["payroll", "config_*"])
        );
    }

    #[test]
    fn empty_file_is_an_empty_chain() {
        let c = parse("# nothing\n", "p.toml").unwrap();
        assert!(c.wrappers.is_empty());
    }

    #[test]
    fn errors_name_file_line_and_key() {
        let e = parse(
            "[[wrapper]]\nuse = \"audit-log\"\nsinc = \"table\"\n",
            "p.toml",
        )
        .unwrap_err();
        assert!(e.message.starts_with("p.toml line 3:"), "{}", e.message);
        assert!(e.message.contains("sinc"), "{}", e.message);
        let e = parse("[[wrapper]]\nuse = \"audit-logger\"\n", "p.toml").unwrap_err();
        assert!(
            e.message.starts_with("p.toml line 2:") && e.message.contains("audit-logger"),
            "{}",
            e.message
        );
        let e = parse(
            "[[wrapper]]\nuse = \"authorizer\"\nprotect = \"payroll\"\n",
            "p.toml",
        )
        .unwrap_err();
        assert!(e.message.starts_with("p.toml line 3:"), "{}", e.message);
        let e = parse(
            "[[wrapper]]\nuse = \"authorizer\"\n\nsink = \"table\"\n",
            "p.toml",
        )
        .unwrap_err();
        assert!(
            e.message.starts_with("p.toml line 4:") && e.message.contains("\"sink\""),
            "{}",
            e.message
        );
        let e = parse("max-transactions = 0\n", "p.toml").unwrap_err();
        assert!(
            e.message.contains("line 1") && e.message.contains("max-transactions"),
            "{}",
            e.message
        );
    }

    #[test]
    fn allow_actors_is_refused_with_the_key_to_use() {
        let e = parse(
            "[[wrapper]]\nuse = \"authorizer\"\nhide = [\"s\"]\nallow-actors = [\"admin\"]\n",
            "p.toml",
        )
        .unwrap_err();
        assert_eq!(e.kind, crate::error::Kind::Usage);
        assert!(
            e.message.starts_with("p.toml line 4: key \"allow-actors\"")
                && e.message.contains("allow-users"),
            "{}",
            e.message
        );
        let c = parse(
            "[[wrapper]]\nuse = \"authorizer\"\nallow-users = [\"deploy\", \"ci-*\"]\n",
            "p.toml",
        )
        .unwrap();
        assert!(
            matches!(&c.wrappers[0], WrapperConfig::Authorizer(a) if a.allow_users == ["deploy", "ci-*"])
        );
        let e = parse(
            "[[wrapper]]\nuse = \"audit-log\"\nallow-users = [\"x\"]\n",
            "p.toml",
        )
        .unwrap_err();
        assert!(e.message.starts_with("p.toml line 3:"), "{}", e.message);
    }

    #[test]
    fn file_settings_are_strict() {
        let c = parse(
            "journal-mode = \"wal\"\nsynchronous = \"normal\"\n",
            "p.toml",
        )
        .unwrap();
        assert_eq!(
            c.file,
            FileSettings {
                wal: true,
                synchronous: Synchronous::Normal
            }
        );
        assert_eq!(parse("", "p.toml").unwrap().file, FileSettings::default());
        let e = parse("\njournal-mode = \"delete\"\n", "p.toml").unwrap_err();
        assert!(
            e.message.starts_with("p.toml line 2:") && e.message.contains("journal-mode"),
            "{}",
            e.message
        );
        let e = parse("synchronous = \"off\"\n", "p.toml").unwrap_err();
        assert!(
            e.message.starts_with("p.toml line 1:") && e.message.contains("synchronous"),
            "{}",
            e.message
        );
        let e = parse("synchronous = 1\n", "p.toml").unwrap_err();
        assert!(e.message.contains("synchronous"), "{}", e.message);
    }

    #[test]
    fn globs() {
        assert!(glob_match("config_*", "config_main"));
        assert!(glob_match("config_*", "CONFIG_x"));
        assert!(!glob_match("config_*", "xconfig_"));
        assert!(glob_match("*", ""));
        assert!(glob_match("a?c", "abc"));
        assert!(glob_match("*_litewrite_*", "x_litewrite_y"));
        assert!(!glob_match("payroll", "payrolls"));
    }
}
