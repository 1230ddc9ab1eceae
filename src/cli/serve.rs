//! `postevent serve`: build the site into a temporary folder, serve it on 127.0.0.1, rebuild
//! it on every save and reload open pages; a broken log shows its diagnostics in the browser.

use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::AtomicBool;

use clap::Args;

use super::build::template_dirs;
use super::check::LimitArgs;
use super::pipeline::{self, AudienceArg, CliError, TemplatesArg, log_files};
use super::{Io, inputs};
use crate::config;
use crate::diagnostics::RenderStyle;
use crate::exit;
use crate::serve::{self, Preview, Rebuild, Setup, Status};

#[derive(Debug, Args)]
pub struct ServeArgs {
    /// Folders or files of incident logs (every *.yaml and *.yml inside, recursively; links
    /// inside a folder are not followed).
    #[arg(value_name = "DIR", default_value = "incidents")]
    pub paths: Vec<PathBuf>,

    /// The port to listen on, on 127.0.0.1 only; 0 picks a free one (the address is printed).
    #[arg(short, long, value_name = "N", default_value_t = 8000)]
    pub port: u16,

    #[command(flatten)]
    pub audience: AudienceArg,

    // The template folder is watched too.
    #[command(flatten)]
    pub templates: TemplatesArg,

    /// Open the site in the default web browser once it is served.
    #[arg(long)]
    pub open: bool,

    #[command(flatten)]
    pub limits: LimitArgs,

    #[command(flatten)]
    pub config: super::pipeline::ConfigArg,
}

pub fn run(args: &ServeArgs, io: &mut Io) -> u8 {
    let result = serve_site(args, io);
    pipeline::finish(result, io)
}

fn serve_site(args: &ServeArgs, io: &mut Io) -> Result<u8, CliError> {
    // Fail early on a wrong folder; later, a missing log is shown in the browser instead.
    log_files(&args.paths)?;
    let template_dirs = template_dirs(args.templates.templates.as_deref())?;
    let (server, addr) = serve::bind(args.port).map_err(CliError::Bind)?;
    let out = tempfile::Builder::new()
        .prefix("postevent-serve-")
        .tempdir()
        .map_err(CliError::TempDir)?;
    let stop = Arc::new(AtomicBool::new(false));
    let signals = on_interrupt(&stop)?;

    let mut watched = args.paths.clone();
    watched.extend(template_dirs.iter().cloned());
    let limits = args.limits.limits();
    let paths = args.paths.clone();
    // A config that is wrong when serve starts stops it, as it stops `build`; later, the
    // config is read again on every rebuild (it is watched), and a wrong one is shown in the
    // browser like a wrong log.
    pipeline::config(&args.paths[0], io)?;
    let (config, config_files) = match &io.config {
        Some(path) => (Some(path.clone()), vec![path.clone()]),
        None => (None, config::candidates(&args.paths[0])),
    };
    let near = args.paths[0].clone();
    let setup = Setup {
        files: Box::new(move || log_files(&paths).map_err(|e| e.to_string())),
        read: Box::new(move |p: &Path| {
            inputs::read(p, limits.max_file_bytes).map_err(|e| e.reason)
        }),
        limits,
        audience: args.audience.audience,
        config: Box::new(move || {
            config::for_path(config.as_deref(), &near).map_err(|e| {
                let style = RenderStyle {
                    color: false,
                    ..RenderStyle::default()
                };
                format!("{}error: {e}\n", e.diagnostics_text(style))
            })
        }),
        config_files,
        template_dirs,
        logs: args.paths.clone(),
        out: out.path().join("site"),
    };
    let (mut preview, first) = Preview::start(setup);
    report(&first, io);
    let url = format!("http://{addr}/");
    let _ = writeln!(io.stdout, "serving {url}");
    let _ = io.stdout.flush();
    let _ = writeln!(
        io.stderr,
        "watching {} for changes; press Ctrl-C to stop",
        shown(&watched)
    );
    if args.open {
        open_browser(&url, io);
    }
    serve::run(&server, &mut preview, &stop, &mut |rebuild| {
        report(rebuild, io)
    });
    for id in signals {
        signal_hook::low_level::unregister(id);
    }
    let _ = writeln!(io.stderr, "stopped");
    drop(out);
    Ok(exit::SUCCESS)
}

/// Sets `stop` on Ctrl-C (or SIGTERM); a second one ends the process at once, in case a
/// build is stuck.
fn on_interrupt(stop: &Arc<AtomicBool>) -> Result<Vec<signal_hook::SigId>, CliError> {
    use signal_hook::consts::{SIGINT, SIGTERM};
    let mut ids = Vec::new();
    for signal in [SIGINT, SIGTERM] {
        let register = || {
            let abort = signal_hook::flag::register_conditional_shutdown(
                signal,
                i32::from(exit::TROUBLE),
                Arc::clone(stop),
            )?;
            let flag = signal_hook::flag::register(signal, Arc::clone(stop))?;
            Ok::<_, std::io::Error>([abort, flag])
        };
        ids.extend(register().map_err(CliError::Signals)?);
    }
    Ok(ids)
}

/// One line per build on standard error; the full diagnostics when it failed.
fn report(rebuild: &Rebuild, io: &mut Io) {
    let why = match rebuild.changed.as_slice() {
        [] => String::new(),
        [one] => format!(" ({} changed)", one.display()),
        many => format!(" ({} files changed)", many.len()),
    };
    let ms = rebuild.took.as_millis();
    let _ = match &rebuild.status {
        Status::Built {
            incidents,
            rendered,
        } => writeln!(
            io.stderr,
            "built in {ms} ms{why}: {incidents} incident{}, {rendered} page{} rendered",
            if *incidents == 1 { "" } else { "s" },
            if *rendered == 1 { "" } else { "s" },
        ),
        Status::Broken(text) => write!(
            io.stderr,
            "cannot build the site{why}; the browser shows why until it is fixed:\n{text}"
        ),
    };
}

fn shown(paths: &[PathBuf]) -> String {
    let shown: Vec<String> = paths.iter().map(|p| p.display().to_string()).collect();
    shown.join(", ")
}

/// Starts the platform's opener; a failure is only a warning, since the URL is printed.
fn open_browser(url: &str, io: &mut Io) {
    let (program, pre): (&str, &[&str]) = if cfg!(target_os = "macos") {
        ("open", &[])
    } else if cfg!(windows) {
        ("cmd", &["/C", "start", ""])
    } else {
        ("xdg-open", &[])
    };
    let started = std::process::Command::new(program)
        .args(pre)
        .arg(url)
        .stdin(std::process::Stdio::null())
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn();
    if let Err(e) = started {
        let _ = writeln!(
            io.stderr,
            "warning: cannot open a browser with `{program}`: {e}"
        );
    }
}
