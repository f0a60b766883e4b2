//! Building the application: storage, reference data, the router, the listening socket — bound
//! before serving, so tests can ask for port 0 and read the port chosen.

use std::net::SocketAddr;
use std::sync::Arc;

use anyhow::Context;
use axum::Router;
use axum::extract::DefaultBodyLimit;
use axum::http::{HeaderName, HeaderValue, header};
use tokio::net::TcpListener;
use tower_http::compression::{CompressionLayer, CompressionLevel};
use tower_http::request_id::{MakeRequestUuid, PropagateRequestIdLayer, SetRequestIdLayer};
use tower_http::set_header::SetResponseHeaderLayer;
use yousu_core::api::{API_PREFIX, IDEMPOTENCY_KEY_KEPT_HOURS};
use yousu_core::deadline::ClockRules;

use crate::clock::Clock;
use crate::config::Config;
use crate::current::Current;
use crate::dispatching::Dispatching;
use crate::links::Links;
use crate::rate_limit::RateLimiter;
use crate::reference::Reference;
use crate::store::{self, Store};
use crate::{connections, demo, headers, open311, routes, scheduler, static_app, telemetry};

pub struct AppState {
    pub store: Arc<dyn Store>,
    /// The deadline policy and the working-day calendar (with the versions they replaced).
    pub rules: Arc<ClockRules>,
    pub reference: Arc<Reference>,
    /// Where `rules` and `reference` come from: administrators change them while the server
    /// runs. Each clone — every request takes one — reads the newest, so a request sees one
    /// consistent version from start to end.
    pub current: Arc<Current>,
    pub limiter: Arc<RateLimiter>,
    /// The dispatch engine and the duplicate index.
    pub dispatching: Arc<Dispatching>,
    /// Counts every change to a case, for the live wall screens to follow.
    pub changes: Arc<tokio::sync::watch::Sender<u64>>,
    /// The time every rule reads (see `--clock-start`).
    pub clock: Clock,
    /// How long a staff session may go unused (`--staff-idle-minutes`).
    pub staff_idle: chrono::Duration,
    /// How many photo bytes an address may upload, and unattached photos may fill.
    pub photo_quota: crate::services::photos::PhotoQuota,
}

impl Clone for AppState {
    fn clone(&self) -> Self {
        Self {
            store: self.store.clone(),
            rules: self.current.rules(),
            reference: self.current.reference(),
            current: self.current.clone(),
            limiter: self.limiter.clone(),
            dispatching: self.dispatching.clone(),
            changes: self.changes.clone(),
            clock: self.clock,
            staff_idle: self.staff_idle,
            photo_quota: self.photo_quota,
        }
    }
}

pub struct Application {
    listener: TcpListener,
    router: Router,
    state: AppState,
    scheduler_interval: u64,
    limits: connections::Limits,
}

impl Application {
    pub async fn build(config: Config) -> anyhow::Result<Self> {
        let clock = config.clock();
        if !clock.is_system() {
            tracing::warn!(now = %clock.now(), "the platform's clock is not the machine's (--clock-start)");
        }
        let store = store::connect(&config.database)
            .await
            .with_context(|| format!("cannot open the database {}", config.database))?;
        if config.demo {
            if demo::load_if_empty(&*store).await? {
                tracing::info!("loaded the demo catalogue, units and communities");
            }
            demo::ensure_demo_accounts(&*store, clock).await?;
            crate::services::api_keys::ensure_demo_key(&*store, clock).await?;
            let names: Vec<&str> = demo::DEMO_ACCOUNTS.iter().map(|a| a.0).collect();
            tracing::warn!(
                accounts = %names.join(", "),
                password = demo::DEMO_PASSWORD,
                open311_api_key = crate::services::api_keys::DEMO_API_KEY,
                "demo staff accounts are active; never run --demo in production"
            );
        }
        let current = Arc::new(Current::load(&*store, config.clock_rules()?).await?);
        let reference = current.reference();
        if !config.app_dir.join("index.html").is_file() {
            tracing::warn!(
                app = %config.app_dir.display(),
                "no built app here (index.html is missing): only the API is served; \
                 `cargo xtask serve` builds the app"
            );
        }
        let state = AppState {
            dispatching: Arc::new(Dispatching::new(&reference, config.suggestions)),
            changes: Arc::new(tokio::sync::watch::Sender::new(0)),
            clock,
            staff_idle: chrono::Duration::minutes(config.staff_idle_minutes.into()),
            store: store.clone(),
            rules: current.rules(),
            reference,
            current,
            limiter: Arc::new(RateLimiter::new(
                config.rate_limit,
                store,
                clock,
                config.trusted_proxies(),
            )),
            photo_quota: crate::services::photos::PhotoQuota::of(&config),
        };
        state.dispatching.follow(state.current.clone());
        let router = router(state.clone(), &config);
        let listener = TcpListener::bind(config.listen)
            .await
            .with_context(|| format!("cannot listen on {}", config.listen))?;
        tracing::info!(
            listen = %listener.local_addr()?,
            database = %config.database,
            "yousu-server started"
        );
        if config.public_url.is_none() {
            tracing::info!(
                "no --public-url: Open311 discovery and media links are relative to this server"
            );
        }
        Ok(Self {
            listener,
            router,
            state,
            scheduler_interval: config.scheduler_interval,
            limits: connections::Limits {
                header_read_timeout: std::time::Duration::from_secs(config.header_read_timeout),
                max_connections: config.max_connections,
            },
        })
    }

    pub fn local_addr(&self) -> SocketAddr {
        self.listener
            .local_addr()
            .expect("a bound listener has an address")
    }

    /// The clock the platform reads.
    pub fn clock(&self) -> Clock {
        self.state.clock
    }

    /// Serves until Ctrl-C or SIGTERM, then finishes the requests in flight.
    pub async fn run_until_stopped(self) -> anyhow::Result<()> {
        tokio::spawn(purge_idempotency_keys(
            self.state.store.clone(),
            self.state.clock,
            self.state.staff_idle,
        ));
        if self.state.dispatching.enabled() {
            tokio::spawn(crate::services::suggestions::keep_learning(
                self.state.clone(),
            ));
        }
        tokio::spawn(crate::current::keep_current(
            self.state.store.clone(),
            self.state.current.clone(),
        ));
        if self.scheduler_interval > 0 {
            tokio::spawn(scheduler::run(
                self.state.store.clone(),
                self.state.clock,
                std::time::Duration::from_secs(self.scheduler_interval),
            ));
        }
        connections::serve(self.listener, self.router, self.limits, shutdown_signal()).await?;
        tracing::info!("yousu-server stopped");
        Ok(())
    }
}

pub fn router(state: AppState, config: &Config) -> Router {
    let request_id = HeaderName::from_static("x-request-id");
    let links = Links::new(config.public_url.as_ref());
    let request_timeout = std::time::Duration::from_secs(config.request_timeout);
    let router = Router::new()
        .nest(
            API_PREFIX,
            routes::api_router()
                .layer(DefaultBodyLimit::max(routes::MAX_JSON_BODY))
                .layer(headers::no_store_by_default())
                .with_state(state.clone()),
        )
        .nest(
            open311::PREFIX,
            open311::router(state, links).layer(headers::no_store_by_default()),
        )
        .merge(static_app::router(&config.app_dir))
        .layer(axum::middleware::from_fn_with_state(
            request_timeout,
            connections::request_timeout,
        ))
        .layer(axum::middleware::from_fn(telemetry::log_request))
        .layer(SetRequestIdLayer::new(request_id.clone(), MakeRequestUuid))
        .layer(PropagateRequestIdLayer::new(request_id))
        // Built assets arrive precompressed; this compresses API answers (level 4 keeps it fast).
        .layer(CompressionLayer::new().quality(CompressionLevel::Precise(4)))
        .layer(SetResponseHeaderLayer::overriding(
            header::X_CONTENT_TYPE_OPTIONS,
            HeaderValue::from_static("nosniff"),
        ))
        .layer(SetResponseHeaderLayer::overriding(
            header::REFERRER_POLICY,
            HeaderValue::from_static("no-referrer"),
        ));
    headers::everywhere(router, config.public_url.as_ref())
}

/// Forgets idempotency keys (and the answers kept with them) and unclaimed photo uploads once
/// they are over a day old, and staff sessions once expired or idle, checking every ten minutes.
async fn purge_idempotency_keys(store: Arc<dyn Store>, clock: Clock, staff_idle: chrono::Duration) {
    let kept = chrono::Duration::hours(IDEMPOTENCY_KEY_KEPT_HOURS);
    let mut every = tokio::time::interval(std::time::Duration::from_secs(600));
    loop {
        every.tick().await;
        match store.purge_keys(clock.now() - kept).await {
            Ok(0) => {}
            Ok(purged) => tracing::info!(purged, "forgot old idempotency keys"),
            Err(error) => tracing::warn!(%error, "could not purge old idempotency keys"),
        }
        // Limit windows and sign-in throttles a day old count nothing any more.
        match store
            .purge_limits((clock.now() - kept).timestamp_millis())
            .await
        {
            Ok(0) => {}
            Ok(purged) => tracing::info!(purged, "forgot old limit counts"),
            Err(error) => tracing::warn!(%error, "could not purge old limit counts"),
        }
        // A photo that no submission took within a key's lifetime was abandoned with its draft.
        match store.purge_unattached_photos(clock.now() - kept).await {
            Ok(0) => {}
            Ok(purged) => tracing::info!(purged, "deleted abandoned photo uploads"),
            Err(error) => tracing::warn!(%error, "could not delete abandoned photo uploads"),
        }
        let now = clock.now();
        match store.purge_sessions(now, now - staff_idle).await {
            Ok(0) => {}
            Ok(purged) => tracing::info!(purged, "deleted expired and idle staff sessions"),
            Err(error) => tracing::warn!(%error, "could not delete expired staff sessions"),
        }
    }
}

async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let terminate = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut signal) => {
                signal.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();
    tokio::select! {
        () = ctrl_c => {},
        () = terminate => {},
    }
    tracing::info!("shutting down: finishing requests in flight");
}
