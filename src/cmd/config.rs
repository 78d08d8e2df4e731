//! `config`: the configuration in effect — the wrapper chain and the file it
//! came from (or the built-in default), found as every command finds it.

use serde_json::{json, Value as Json};

use crate::cli::{ConfigArgs, GlobalArgs};
use crate::config::{Config, WrapperConfig};
use crate::error::Result;

pub fn run(g: &GlobalArgs, _a: ConfigArgs) -> Result<Option<Json>> {
    let config = super::config(g)?;
    let obj = describe(&config);
    if !g.json {
        print!("{}", as_toml(&config));
    }
    Ok(Some(obj))
}

/// Where the configuration came from, in words.
fn source(config: &Config) -> String {
    match &config.source {
        Some(path) => path.display().to_string(),
        None => "built-in default (no plugins.toml found)".into(),
    }
}

/// The `--json` result: the source and every wrapper with all its keys.
fn describe(config: &Config) -> Json {
    let wrappers: Vec<Json> = config
        .wrappers
        .iter()
        .map(|w| match w {
            WrapperConfig::AuditLog(a) => json!({
                "use": "audit-log",
                "sink": "table",
                "file": a.file.as_ref().map(|f| f.display().to_string()),
                "log-parameters": a.log_parameters,
            }),
            WrapperConfig::Authorizer(a) => json!({
                "use": "authorizer",
                "protect": a.protect,
                "hide": a.hide,
                "allow-users": a.allow_users,
            }),
            WrapperConfig::ChangeGroup(c) => json!({
                "use": "change-group",
                "tables": c.tables,
                "exclude": c.exclude,
            }),
        })
        .collect();
    json!({
        "ok": true,
        "command": "config",
        "source": config.source.as_ref().map(|p| p.display().to_string()),
        "max-transactions": config.max_transactions,
        "wrappers": wrappers,
    })
}

/// The configuration as plugins.toml text, with where it came from on top:
/// what a user would write to get the same chain.
fn as_toml(config: &Config) -> String {
    let list = |v: &[String]| {
        let items: Vec<String> = v
            .iter()
            .map(|s| Json::from(s.as_str()).to_string())
            .collect();
        format!("[{}]", items.join(", "))
    };
    let mut out = format!(
        "# in effect: {}\n# wrappers, outermost first\nmax-transactions = {}\n",
        source(config),
        config.max_transactions
    );
    for w in &config.wrappers {
        out.push_str("\n[[wrapper]]\n");
        match w {
            WrapperConfig::AuditLog(a) => {
                out.push_str("use = \"audit-log\"\nsink = \"table\"\n");
                if let Some(f) = &a.file {
                    out.push_str(&format!("file = {}\n", Json::from(f.display().to_string())));
                }
                out.push_str(&format!("log-parameters = {}\n", a.log_parameters));
            }
            WrapperConfig::Authorizer(a) => {
                out.push_str(&format!(
                    "use = \"authorizer\"\nprotect = {}\nhide = {}\nallow-users = {}\n",
                    list(&a.protect),
                    list(&a.hide),
                    list(&a.allow_users)
                ));
            }
            WrapperConfig::ChangeGroup(c) => {
                out.push_str(&format!(
                    "use = \"change-group\"\ntables = {}\nexclude = {}\n",
                    list(&c.tables),
                    list(&c.exclude)
                ));
            }
        }
    }
    out
}
