//! A second OS user for the trust-model tests: the binary run as `nobody`
//! (uid 65534) through `setpriv`, which needs root (CI runs the tests as
//! root). The sandbox is opened to that user first, as a shared database
//! directory would be.

use std::os::unix::fs::PermissionsExt;
use std::process::Output;

use super::*;

/// The second user's name and ids.
pub const OTHER: &str = "nobody";
pub const OTHER_UID: u32 = 65534;

/// True when the tests run as root, so they can run a second OS user.
pub fn is_root() -> bool {
    let out = std::process::Command::new("id")
        .arg("-u")
        .output()
        .expect("run id -u");
    String::from_utf8_lossy(&out.stdout).trim() == "0"
}

/// Says on stderr that a test part needs a second OS user (root) and was
/// skipped; returns true when it can run.
pub fn can_switch_user(test: &str) -> bool {
    if !is_root() {
        eprintln!("{test}: skipped: running a second OS user needs root (setpriv)");
    }
    is_root()
}

impl Sandbox {
    /// Lets the second user into the sandbox: the directory and every file
    /// in it readable and writable by all (a shared database directory).
    pub fn share(&self) {
        let all = |p: &Path, mode: u32| {
            std::fs::set_permissions(p, std::fs::Permissions::from_mode(mode)).expect("chmod")
        };
        all(self.dir.path(), 0o777);
        for e in std::fs::read_dir(self.dir.path()).expect("read dir") {
            let p = e.expect("entry").path();
            if p.is_file() {
                all(&p, 0o666);
            }
        }
    }

    /// Runs litewrite as the second OS user (see [`can_switch_user`]), in
    /// the sandbox, with the same scrubbed environment as [`Sandbox::cmd`].
    pub fn run_as_other(&self, args: &[&str], env: &[(&str, &str)]) -> Output {
        assert!(is_root(), "run_as_other needs root");
        self.share();
        let bin = assert_cmd::cargo::cargo_bin("litewrite");
        let mut c = std::process::Command::new("setpriv");
        c.args([
            &format!("--reuid={OTHER_UID}"),
            &format!("--regid={OTHER_UID}"),
            "--clear-groups",
        ])
        .arg(bin)
        .args(args)
        .env_clear()
        .env("PATH", std::env::var_os("PATH").unwrap_or_default())
        .env("HOME", self.dir.path())
        .env("LITEWRITE_ACTOR", "tester")
        .current_dir(self.dir.path())
        .stdin(std::process::Stdio::null());
        for (k, v) in env {
            c.env(k, v);
        }
        c.output().expect("run setpriv")
    }
}
