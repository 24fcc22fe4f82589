//! The `jixiao` binary: see `src/cli/` for the commands.

mod cli;

// mimalloc: 13–15% fewer instructions and 7–11% less CPU time than the system allocator, for
// about 30 MiB more peak memory (BENCHMARKS.md, "The allocator").
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> std::process::ExitCode {
    // Output piped into `head` should end quietly, as other command-line tools do, rather
    // than panic on the closed pipe.
    #[cfg(unix)]
    // SAFETY: restoring the default SIGPIPE action before any thread or I/O starts.
    unsafe {
        libc::signal(libc::SIGPIPE, libc::SIG_DFL);
    }
    // A bug that panics is caught per unit (the batch goes on, the unit is reported); one
    // line says where, and the backtrace only when asked for with RUST_BACKTRACE.
    std::panic::set_hook(Box::new(|info| {
        eprintln!("jixiao: internal error (please report it): {info}");
        if std::env::var_os("RUST_BACKTRACE").is_some_and(|v| v != "0") {
            eprintln!("{}", std::backtrace::Backtrace::force_capture());
        }
    }));
    cli::main()
}
