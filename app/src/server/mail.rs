//! Emails to contributors: through SMTP when `ATLAS_SMTP_URL` is set, otherwise written as
//! `.eml` files into the outbox folder (`ATLAS_OUTBOX`, `data/outbox` by default), where an
//! operator, or a test, reads them. A failure to send is logged and never undoes the change
//! that caused it.

use lettre::message::header::ContentType;
use lettre::message::Mailbox;
use lettre::{AsyncFileTransport, AsyncSmtpTransport, AsyncTransport, Message, Tokio1Executor};
use std::path::PathBuf;
use std::sync::Arc;

#[derive(Clone)]
enum Transport {
    Outbox(AsyncFileTransport<Tokio1Executor>, PathBuf),
    Smtp(AsyncSmtpTransport<Tokio1Executor>),
}

/// Sends the application's emails.
#[derive(Clone)]
pub struct Mailer {
    transport: Arc<Transport>,
    from: Mailbox,
    /// The site's public address, for the links in emails.
    pub base_url: String,
}

/// One email to send.
#[derive(Clone, Debug)]
pub struct Email {
    pub to: String,
    pub subject: String,
    pub body: String,
}

impl Mailer {
    /// Writes emails as files into `dir`, created if needed.
    pub fn outbox(dir: impl Into<PathBuf>, base_url: &str) -> std::io::Result<Mailer> {
        let dir = dir.into();
        std::fs::create_dir_all(&dir)?;
        Ok(Mailer {
            transport: Arc::new(Transport::Outbox(
                AsyncFileTransport::new(&dir),
                dir.clone(),
            )),
            from: default_from(),
            base_url: base_url.trim_end_matches('/').to_string(),
        })
    }

    /// Sends through the SMTP server of a URL such as `smtps://user:pass@smtp.example.org`.
    pub fn smtp(url: &str, from: &str, base_url: &str) -> Result<Mailer, String> {
        let transport = AsyncSmtpTransport::<Tokio1Executor>::from_url(url)
            .map_err(|e| e.to_string())?
            .build();
        Ok(Mailer {
            transport: Arc::new(Transport::Smtp(transport)),
            from: from
                .parse()
                .map_err(|e: lettre::address::AddressError| e.to_string())?,
            base_url: base_url.trim_end_matches('/').to_string(),
        })
    }

    /// The outbox folder, when emails go there.
    pub fn outbox_dir(&self) -> Option<&std::path::Path> {
        match &*self.transport {
            Transport::Outbox(_, dir) => Some(dir),
            Transport::Smtp(_) => None,
        }
    }

    /// Sends each email; logs and skips the ones that fail.
    pub async fn send(&self, emails: Vec<Email>) {
        for email in emails {
            if let Err(err) = self.send_one(&email).await {
                tracing::error!(%err, subject = email.subject, "email not sent");
            }
        }
    }

    async fn send_one(&self, email: &Email) -> Result<(), String> {
        let message = Message::builder()
            .from(self.from.clone())
            .to(email
                .to
                .parse()
                .map_err(|e: lettre::address::AddressError| e.to_string())?)
            .subject(&email.subject)
            .header(ContentType::TEXT_PLAIN)
            .body(email.body.clone())
            .map_err(|e| e.to_string())?;
        match &*self.transport {
            Transport::Outbox(files, _) => files
                .send(message)
                .await
                .map(drop)
                .map_err(|e| e.to_string()),
            Transport::Smtp(smtp) => smtp
                .send(message)
                .await
                .map(drop)
                .map_err(|e| e.to_string()),
        }
    }
}

fn default_from() -> Mailbox {
    "Atlas de la coopération décentralisée <ne-pas-repondre@atlas.invalid>"
        .parse()
        .expect("a valid address")
}
