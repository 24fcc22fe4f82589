//! The `jixiao` binary: see `src/cli/` for the commands.

mod cli;

// mimalloc: the allocation-heavy evaluation runs markedly faster than with the system
// allocator.
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
    cli::main()
}
