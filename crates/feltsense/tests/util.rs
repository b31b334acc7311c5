//! Runs the real `feltsense` binary against a throwaway data directory.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

pub const PASSPHRASE: &str = "a long test passphrase";

pub struct Env {
    pub dir: tempfile::TempDir,
}

pub struct Output {
    pub code: i32,
    pub stdout: String,
    pub stderr: String,
}

impl Env {
    /// A data directory with no store yet.
    pub fn empty() -> Env {
        Env {
            dir: tempfile::tempdir().unwrap(),
        }
    }

    /// A data directory with an initialised store.
    pub fn new() -> Env {
        let env = Env::empty();
        env.ok(&["init"]);
        env
    }

    pub fn data_dir(&self) -> PathBuf {
        self.dir.path().join("data")
    }

    pub fn db(&self) -> PathBuf {
        self.data_dir().join("feltsense.db")
    }

    pub fn command(&self, args: &[&str]) -> Command {
        let mut cmd = Command::new(env!("CARGO_BIN_EXE_feltsense"));
        cmd.args(args)
            .env("FELTSENSE_DATA_DIR", self.data_dir())
            .env("FELTSENSE_PASSPHRASE", PASSPHRASE)
            .env("FELTSENSE_CONFIG", self.dir.path().join("no-config.toml"))
            .env_remove("XDG_DATA_HOME")
            // `unlock`'s agent keeps its socket here, never in the real one.
            .env("XDG_RUNTIME_DIR", self.dir.path().join("run"))
            .env("TZ", "UTC")
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped());
        cmd
    }

    pub fn run_with(&self, args: &[&str], stdin: &str, tweak: impl FnOnce(&mut Command)) -> Output {
        let mut cmd = self.command(args);
        tweak(&mut cmd);
        let mut child = cmd.spawn().unwrap();
        child
            .stdin
            .take()
            .unwrap()
            .write_all(stdin.as_bytes())
            .unwrap();
        let out = child.wait_with_output().unwrap();
        Output {
            code: out.status.code().unwrap_or(-1),
            stdout: String::from_utf8(out.stdout).unwrap(),
            stderr: String::from_utf8(out.stderr).unwrap(),
        }
    }

    pub fn run(&self, args: &[&str]) -> Output {
        self.run_with(args, "", |_| {})
    }

    /// Runs and insists on success.
    pub fn ok(&self, args: &[&str]) -> String {
        let out = self.run(args);
        assert_eq!(out.code, 0, "{args:?} failed: {}", out.stderr);
        out.stdout
    }

    /// Runs and insists on failure with `code`; returns stderr.
    pub fn fails(&self, args: &[&str], code: i32) -> String {
        let out = self.run(args);
        assert_eq!(
            out.code, code,
            "{args:?}: stdout {} stderr {}",
            out.stdout, out.stderr
        );
        out.stderr
    }

    pub fn records(&self) -> Vec<serde_json::Value> {
        serde_json::from_str(&self.ok(&["log", "--json"])).unwrap()
    }
}

pub fn contains(haystack: &[u8], needle: &str) -> bool {
    haystack
        .windows(needle.len())
        .any(|w| w == needle.as_bytes())
}

pub fn read_all(paths: &[&Path]) -> Vec<u8> {
    paths
        .iter()
        .flat_map(|p| std::fs::read(p).unwrap_or_default())
        .collect()
}
