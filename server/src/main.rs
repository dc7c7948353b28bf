#![recursion_limit = "512"]
use clap::Parser;

/// mimalloc rather than glibc's allocator: building the search index allocates and frees
/// millions of small strings, where glibc's spent 40 % of the time (docs/PERFORMANCE.md).
#[global_allocator]
static ALLOCATOR: allocator::MiMalloc = allocator::MiMalloc;

/// The worker threads' stack: rendering a large page recurses deeply through the views' types,
/// several times deeper in a debug build than tokio's 2 MiB default allows.
const WORKER_STACK: usize = 8 << 20;

fn main() -> std::process::ExitCode {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .thread_stack_size(WORKER_STACK)
        .build();
    match runtime {
        Ok(runtime) => runtime.block_on(serve()),
        Err(err) => {
            eprintln!("erreur : {err}");
            std::process::ExitCode::FAILURE
        }
    }
}

async fn serve() -> std::process::ExitCode {
    tracing_subscriber::fmt()
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_default_env()
                .unwrap_or_else(|_| "info,sqlx=warn,sea_orm=warn".into()),
        )
        .init();
    match server::cli::run(server::cli::Cli::parse()).await {
        Ok(()) => std::process::ExitCode::SUCCESS,
        Err(err) => {
            eprintln!("erreur : {err}");
            std::process::ExitCode::FAILURE
        }
    }
}
