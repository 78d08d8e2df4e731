//! authorizer: protected and hidden tables, enforced by SQLite's authorizer
//! callback.
//!
//! The rules are checked for everything a statement touches while SQLite
//! compiles it — trigger bodies, views, CTEs, `ON CONFLICT DO UPDATE`,
//! `RETURNING`, renames — so no route around them exists through SQL.
//! `protect`ed tables can be read but not written, altered, dropped, nor
//! given indexes or triggers; `hide`den tables can not be touched at all.
//! While either list is set, ATTACH (and so `VACUUM INTO`, which attaches its
//! target) is refused, since an attached copy would escape the rules.
//! OS users in `allow-users` are not restricted; the `--actor` label plays
//! no part (anyone can set it).

use rusqlite::hooks::{AuthAction, AuthContext};

use crate::access::Rule;
use crate::config::{any_glob, AuthorizerConfig};
use crate::error::Result;
use crate::job::{JobInfo, WriteContext};

use super::Wrapper;

pub struct Authorizer {
    config: AuthorizerConfig,
}

impl Authorizer {
    pub fn new(config: &AuthorizerConfig) -> Authorizer {
        Authorizer {
            config: config.clone(),
        }
    }

    fn rule_for(&self) -> Option<TableRule> {
        if any_glob(&self.config.allow_users, crate::access::os_user()) {
            return None;
        }
        Some(TableRule {
            protect: self.config.protect.clone(),
            hide: self.config.hide.clone(),
        })
    }
}

impl Wrapper for Authorizer {
    fn name(&self) -> &'static str {
        "authorizer"
    }

    fn before(&mut self, cx: &mut WriteContext<'_>) -> Result<()> {
        if let Some(rule) = self.rule_for() {
            cx.rules.push(Box::new(rule));
        }
        Ok(())
    }

    fn read_rules(&self, _job: &JobInfo) -> Vec<Box<dyn Rule>> {
        match self.rule_for() {
            Some(rule) => vec![Box::new(rule)],
            None => vec![],
        }
    }
}

/// The protect and hide lists as an authorizer rule.
pub struct TableRule {
    protect: Vec<String>,
    hide: Vec<String>,
}

impl TableRule {
    fn hidden(&self, table: &str) -> Option<String> {
        any_glob(&self.hide, table)
            .then(|| format!("table \"{table}\" is hidden by the authorizer"))
    }

    fn protected(&self, table: &str, what: &str) -> Option<String> {
        if let Some(h) = self.hidden(table) {
            return Some(h);
        }
        any_glob(&self.protect, table)
            .then(|| format!("table \"{table}\" is protected by the authorizer: {what} denied"))
    }
}

impl Rule for TableRule {
    fn check(&self, ctx: &AuthContext<'_>) -> Option<String> {
        match ctx.action {
            AuthAction::Read { table_name, .. } => self.hidden(table_name),
            AuthAction::Insert { table_name } => self.protected(table_name, "insert"),
            AuthAction::Update { table_name, .. } => self.protected(table_name, "update"),
            AuthAction::Delete { table_name } => self.protected(table_name, "delete"),
            AuthAction::AlterTable { table_name, .. } => self.protected(table_name, "alter"),
            AuthAction::DropTable { table_name } | AuthAction::DropTempTable { table_name } => {
                self.protected(table_name, "drop")
            }
            AuthAction::CreateTable { table_name } | AuthAction::CreateTempTable { table_name } => {
                self.protected(table_name, "create")
            }
            AuthAction::CreateView { view_name } | AuthAction::CreateTempView { view_name } => {
                self.protected(view_name, "create")
            }
            AuthAction::CreateIndex { table_name, .. }
            | AuthAction::CreateTempIndex { table_name, .. }
            | AuthAction::DropIndex { table_name, .. }
            | AuthAction::DropTempIndex { table_name, .. } => self.protected(table_name, "index"),
            AuthAction::CreateTrigger { table_name, .. }
            | AuthAction::CreateTempTrigger { table_name, .. }
            | AuthAction::DropTrigger { table_name, .. }
            | AuthAction::DropTempTrigger { table_name, .. } => {
                self.protected(table_name, "trigger")
            }
            AuthAction::Attach { filename } => Some(format!(
                "ATTACH {filename:?} is denied while the authorizer protects or hides tables"
            )),
            AuthAction::Pragma {
                pragma_name,
                pragma_value,
            } => {
                // Table-valued pragmas name their table in the value.
                pragma_value.and_then(|t| {
                    let t = t.trim_matches(|c| c == '\'' || c == '"');
                    (pragma_name.eq_ignore_ascii_case("table_info")
                        || pragma_name.eq_ignore_ascii_case("table_xinfo")
                        || pragma_name.eq_ignore_ascii_case("index_list"))
                    .then(|| self.hidden(t))
                    .flatten()
                })
            }
            _ => None,
        }
    }
}
