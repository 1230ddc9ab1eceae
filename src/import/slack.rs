//! A Slack workspace export (the unpacked folder or the `.zip`) into a draft log of one
//! channel: `channels.json` (and `groups.json` for private channels) name it, `users.json`
//! turns user ids into display names, and `CHANNEL/YYYY-MM-DD.json` hold its messages.
//!
//! The timeline is made of the messages that carry a marker reaction (`:pushpin:` unless told
//! otherwise), or of every message, plus the channel's first and last message so that the log
//! spans the conversation. A thread stays at its parent's place in the time order: its taken
//! replies are quoted in the parent's event. Phases are left to a person, unless asked to read
//! them from words in marked messages. Every event is internal: chat is not for the public
//! until a person says so.

mod archive;
mod mrkdwn;

use std::collections::BTreeMap;

use chrono::{DateTime, Utc};
use chrono_tz::Tz;
use serde::{Deserialize, Deserializer};

pub use archive::{Archive, ReadSeek};
pub use mrkdwn::{Names, to_markdown, to_plain};

use super::{Draft, DraftEvent, ImportError, assign_ids};
use crate::diagnostics::did_you_mean;
use crate::escape::markdown_text;
use crate::model::{Phase, Severity, Status};

/// What to take from the export.
#[derive(Debug, Clone)]
pub struct Options {
    /// The channel's name (a leading `#` is ignored) or id.
    pub channel: String,
    /// Every message, not only the marked ones.
    pub all: bool,
    /// The reaction that marks a message for the timeline, without colons.
    pub emoji: String,
    /// Read phases from words in marked messages.
    pub phases_from_keywords: bool,
    /// The display zone (default UTC).
    pub zone: Option<Tz>,
}

/// The reaction that marks a message by default.
pub const DEFAULT_EMOJI: &str = "pushpin";

/// Message subtypes that say who came and went or how the channel is set up, not what
/// happened.
const HOUSEKEEPING: &[&str] = &[
    "channel_join",
    "channel_topic",
    "channel_purpose",
    "channel_name",
    "channel_leave",
    "group_join",
    "group_leave",
    "channel_archive",
    "channel_unarchive",
    "group_archive",
    "group_unarchive",
    "pinned_item",
    "unpinned_item",
    "bot_add",
    "bot_remove",
    "tombstone",
];

/// Words that name a phase, in the phases' order; matched as whole words, in any case.
const KEYWORDS: &[(Phase, &[&str])] = &[
    (Phase::Detected, &["detected"]),
    (Phase::Acknowledged, &["acknowledged", "ack", "acked"]),
    (Phase::Identified, &["identified", "root cause"]),
    (Phase::Mitigated, &["mitigated", "monitoring"]),
    (Phase::Resolved, &["resolved", "all clear"]),
];

#[derive(Debug, Clone, Deserialize)]
struct Channel {
    #[serde(default)]
    id: String,
    name: String,
    #[serde(default)]
    topic: Option<Topic>,
    #[serde(default)]
    purpose: Option<Topic>,
}

#[derive(Debug, Clone, Default, Deserialize)]
struct Topic {
    #[serde(default)]
    value: String,
}

#[derive(Debug, Deserialize)]
struct User {
    id: String,
    #[serde(default)]
    name: Option<String>,
    #[serde(default)]
    real_name: Option<String>,
    #[serde(default)]
    is_bot: bool,
    #[serde(default)]
    profile: Option<Profile>,
}

#[derive(Debug, Clone, Default, Deserialize)]
struct Profile {
    #[serde(default)]
    display_name: Option<String>,
    #[serde(default)]
    real_name: Option<String>,
    #[serde(default)]
    name: Option<String>,
}

impl Profile {
    fn best(&self) -> Option<String> {
        [&self.display_name, &self.real_name, &self.name]
            .into_iter()
            .flatten()
            .map(|n| n.trim())
            .find(|n| !n.is_empty())
            .map(str::to_owned)
    }
}

#[derive(Debug, Clone, Deserialize)]
struct Message {
    #[serde(default)]
    subtype: Option<String>,
    ts: Ts,
    #[serde(default)]
    user: Option<String>,
    #[serde(default)]
    username: Option<String>,
    #[serde(default)]
    bot_id: Option<String>,
    #[serde(default)]
    bot_profile: Option<Profile>,
    #[serde(default)]
    user_profile: Option<Profile>,
    #[serde(default)]
    text: String,
    #[serde(default)]
    thread_ts: Option<Ts>,
    #[serde(default)]
    reactions: Vec<Reaction>,
    #[serde(default)]
    files: Vec<SharedFile>,
    #[serde(default)]
    attachments: Vec<Attachment>,
    #[serde(default)]
    hidden: bool,
}

#[derive(Debug, Clone, Deserialize)]
struct Reaction {
    name: String,
}

#[derive(Debug, Clone, Deserialize)]
struct SharedFile {
    #[serde(default)]
    name: Option<String>,
    #[serde(default)]
    title: Option<String>,
    #[serde(default)]
    mode: Option<String>,
}

#[derive(Debug, Clone, Default, Deserialize)]
struct Attachment {
    #[serde(default)]
    fallback: Option<String>,
    #[serde(default)]
    pretext: Option<String>,
    #[serde(default)]
    title: Option<String>,
    #[serde(default)]
    title_link: Option<String>,
    #[serde(default)]
    text: Option<String>,
}

/// A Slack timestamp, `"1772618400.123456"`: seconds since the epoch and microseconds,
/// which is also the message's id in its channel.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
struct Ts {
    at: DateTime<Utc>,
    raw: String,
}

impl<'de> Deserialize<'de> for Ts {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Ts, D::Error> {
        let raw = String::deserialize(d)?;
        let at = parse_ts(&raw).ok_or_else(|| {
            serde::de::Error::custom(format!(
                "`{raw}` is not a Slack timestamp (seconds since 1970, a dot, microseconds)"
            ))
        })?;
        Ok(Ts { at, raw })
    }
}

/// `"1772618400.123456"` as an instant; digits only, at most nine after the dot.
fn parse_ts(raw: &str) -> Option<DateTime<Utc>> {
    let (secs, frac) = raw.split_once('.').unwrap_or((raw, ""));
    let digits = |s: &str| s.bytes().all(|b| b.is_ascii_digit());
    if secs.is_empty() || secs.len() > 12 || frac.len() > 9 || !digits(secs) || !digits(frac) {
        return None;
    }
    let nanos: u32 = format!("{frac:0<9}").parse().ok()?;
    DateTime::from_timestamp(secs.parse().ok()?, nanos)
}

/// One person or bot as the export names them.
#[derive(Debug, Clone)]
struct Person {
    name: String,
    bot: bool,
}

/// Users and channels by id.
struct Directory {
    users: BTreeMap<String, Person>,
    channels: BTreeMap<String, String>,
}

impl Names for Directory {
    fn user(&self, id: &str) -> Option<String> {
        self.users.get(id).map(|p| p.name.clone())
    }

    fn channel(&self, id: &str) -> Option<String> {
        self.channels.get(id).cloned()
    }
}

/// Reads the channel named in `options` from the export into a draft log.
pub fn import(archive: &mut Archive, options: &Options) -> Result<Draft, ImportError> {
    let mut channels: Vec<Channel> = Vec::new();
    for file in ["channels.json", "groups.json"] {
        if let Some(text) = archive.read(file)? {
            channels.extend(parse::<Vec<Channel>>(&text, file, CHANNELS_HINT)?);
        }
    }
    let channel = find_channel(archive, &channels, &options.channel)?;
    // The name is a folder of the export: it must not lead out of it.
    if channel.name.is_empty()
        || channel.name.contains(['/', '\\', '\0'])
        || channel.name.chars().all(|c| c == '.')
    {
        return Err(ImportError::input(
            format!("`{}` is not a channel name", channel.name.escape_debug()),
            Some("Slack channel names are letters, digits, `-` and `_`".into()),
        ));
    }
    let users = match archive.read("users.json")? {
        Some(text) => parse::<Vec<User>>(&text, "users.json", USERS_HINT)?,
        None => Vec::new(),
    };
    let directory = Directory {
        users: users.into_iter().map(person).collect(),
        channels: channels
            .iter()
            .map(|c| (c.id.clone(), c.name.clone()))
            .collect(),
    };
    let mut messages = Vec::new();
    for file in day_files(archive, &channel.name) {
        if let Some(text) = archive.read(&file)? {
            messages.extend(parse::<Vec<Message>>(&text, &file, DAY_HINT)?);
        }
    }
    messages.retain(|m| {
        !m.hidden
            && !m
                .subtype
                .as_deref()
                .is_some_and(|s| HOUSEKEEPING.contains(&s))
    });
    messages.sort_by(|a, b| a.ts.cmp(&b.ts));
    messages.dedup_by(|a, b| a.ts == b.ts);
    if messages.is_empty() {
        return Err(ImportError::input(
            format!("#{} has no messages in the export", channel.name),
            Some("an export holds only the days it was asked for; export a longer range".into()),
        ));
    }
    let builder = Builder {
        options,
        directory: &directory,
        zone: options.zone.unwrap_or(chrono_tz::UTC),
    };
    let mut draft = builder.draft(&channel, &messages);
    let key = if channel.id.is_empty() {
        channel.name.clone()
    } else {
        channel.id.clone()
    };
    assign_ids(std::slice::from_mut(&mut draft), &[key]);
    Ok(draft)
}

const CHANNELS_HINT: &str =
    "`channels.json` of a Slack export is a list of channels, each with an `id` and a `name`";
const USERS_HINT: &str = "`users.json` of a Slack export is a list of users, each with an `id`";
const DAY_HINT: &str = "a day file of a Slack export is a list of messages, each with a `ts`";

fn parse<T: for<'de> Deserialize<'de>>(
    text: &str,
    file: &str,
    hint: &str,
) -> Result<T, ImportError> {
    serde_json::from_str(text).map_err(|e| ImportError::from_serde(&e, Some(file), hint))
}

fn person(user: User) -> (String, Person) {
    let name = user
        .profile
        .as_ref()
        .and_then(Profile::best)
        .or(user.real_name.filter(|n| !n.trim().is_empty()))
        .or(user.name.filter(|n| !n.trim().is_empty()))
        .unwrap_or_else(|| user.id.clone());
    let person = Person {
        name,
        bot: user.is_bot,
    };
    (user.id, person)
}

/// The channel named `wanted` (by name or id), or, when the export lists no channels, its
/// folder.
fn find_channel(
    archive: &Archive,
    channels: &[Channel],
    wanted: &str,
) -> Result<Channel, ImportError> {
    let wanted = wanted.trim().trim_start_matches('#');
    if let Some(c) = channels
        .iter()
        .find(|c| c.name == wanted || (!c.id.is_empty() && c.id == wanted))
    {
        return Ok(c.clone());
    }
    if channels.is_empty() {
        if !archive.list(wanted).is_empty() {
            return Ok(Channel {
                id: String::new(),
                name: wanted.to_owned(),
                topic: None,
                purpose: None,
            });
        }
        return Err(ImportError::input(
            "not a Slack export: it has no `channels.json`".to_owned(),
            Some(
                "give the folder or the .zip of a Slack workspace export \
                 (Workspace settings > Import/Export data > Export)"
                    .into(),
            ),
        ));
    }
    let mut names: Vec<&str> = channels.iter().map(|c| c.name.as_str()).collect();
    names.sort_unstable();
    let hint = match did_you_mean(wanted, names.iter().copied()) {
        Some(name) => format!("did you mean `{name}`?"),
        None if names.len() <= 12 => {
            format!("the export's channels: {}", names.join(", "))
        }
        None => format!(
            "the export has {} channels, listed in `channels.json`",
            names.len()
        ),
    };
    Err(ImportError::input(
        format!("no channel `{wanted}` in the export"),
        Some(hint),
    ))
}

/// The channel's day files, `NAME/YYYY-MM-DD.json`, in date order.
fn day_files(archive: &Archive, channel: &str) -> Vec<String> {
    archive
        .list(channel)
        .into_iter()
        .filter(|f| {
            let day = f.rsplit('/').next().unwrap_or_default();
            day.strip_suffix(".json")
                .is_some_and(|d| chrono::NaiveDate::parse_from_str(d, "%Y-%m-%d").is_ok())
        })
        .collect()
}

/// Turns the channel's messages into a draft.
struct Builder<'a> {
    options: &'a Options,
    directory: &'a Directory,
    zone: Tz,
}

/// A message on its way to the timeline.
struct Taken<'m> {
    message: &'m Message,
    /// The thread's replies quoted in its event.
    replies: Vec<&'m Message>,
    /// Set when this is a reply with an event of its own: its parent.
    parent: Option<&'m Message>,
}

impl<'a> Builder<'a> {
    fn draft(&self, channel: &Channel, messages: &[Message]) -> Draft {
        let taken = self.take(messages);
        let mut timeline: Vec<DraftEvent> = taken
            .iter()
            .map(|t| DraftEvent {
                at: t.message.ts.at,
                phase: None,
                status: Vec::new(),
                text: self.event_text(t),
                internal: true,
                update: None,
            })
            .collect();
        let mut reached = None;
        if self.options.phases_from_keywords {
            reached = self.mark_phases(&taken, &mut timeline);
        }
        let status = match reached {
            Some(Phase::Resolved) => Status::Resolved,
            Some(Phase::Mitigated) => Status::Monitoring,
            Some(Phase::Identified) => Status::Identified,
            _ => Status::Investigating,
        };
        let marked = messages.iter().filter(|m| self.marked(m)).count();
        Draft {
            id: String::new(),
            title: self.title(channel),
            severity: severity(channel),
            status,
            timezone: self.zone,
            regions: Vec::new(),
            tags: vec!["slack".into()],
            services: Vec::new(),
            summary: Some(self.summary(channel, messages, marked)),
            timeline,
            links: Vec::new(),
            origin: format!(
                "Slack channel #{}{}, imported from a Slack export.",
                channel.name,
                if channel.id.is_empty() {
                    String::new()
                } else {
                    format!(" ({})", channel.id)
                }
            ),
        }
    }

    fn marked(&self, m: &Message) -> bool {
        let emoji = self.options.emoji.trim_matches(':');
        m.reactions.iter().any(|r| r.name == emoji)
    }

    fn taken(&self, m: &Message) -> bool {
        self.options.all || self.marked(m)
    }

    /// A reply that gets an event of its own: one that names a phase.
    fn stands_alone(&self, m: &Message) -> bool {
        self.options.phases_from_keywords && self.marked(m) && phase_named(&m.text).is_some()
    }

    /// The messages for the timeline, in time order (threads at their parent's time).
    fn take<'m>(&self, messages: &'m [Message]) -> Vec<Taken<'m>> {
        let by_ts: BTreeMap<&str, &Message> =
            messages.iter().map(|m| (m.ts.raw.as_str(), m)).collect();
        let parent_of = |m: &Message| -> Option<&'m Message> {
            let thread = m.thread_ts.as_ref()?;
            (thread.raw != m.ts.raw)
                .then(|| by_ts.get(thread.raw.as_str()).copied())
                .flatten()
        };
        let mut replies: BTreeMap<&str, Vec<&Message>> = BTreeMap::new();
        let mut top = Vec::new();
        for m in messages {
            match parent_of(m) {
                Some(p) => replies.entry(p.ts.raw.as_str()).or_default().push(m),
                None => top.push(m),
            }
        }
        let (first, last) = (top.first().map(|m| &m.ts), top.last().map(|m| &m.ts));
        let mut taken = Vec::new();
        for m in top {
            let thread = replies.remove(m.ts.raw.as_str()).unwrap_or_default();
            let (alone, quoted): (Vec<&Message>, Vec<&Message>) = thread
                .into_iter()
                .filter(|r| self.taken(r))
                .partition(|r| self.stands_alone(r));
            let bound = Some(&m.ts) == first || Some(&m.ts) == last;
            if self.taken(m) || bound || !quoted.is_empty() || !alone.is_empty() {
                taken.push(Taken {
                    message: m,
                    replies: quoted,
                    parent: None,
                });
            }
            taken.extend(alone.into_iter().map(|r| Taken {
                message: r,
                replies: Vec::new(),
                parent: Some(m),
            }));
        }
        taken.sort_by(|a, b| a.message.ts.cmp(&b.message.ts));
        taken
    }

    /// Phases from words in marked messages; the channel's first message is `detected`
    /// unless it names a phase itself. Returns the last phase reached.
    fn mark_phases(&self, taken: &[Taken], timeline: &mut [DraftEvent]) -> Option<Phase> {
        let mut reached: Option<Phase> = None;
        for (i, (t, event)) in taken.iter().zip(timeline.iter_mut()).enumerate() {
            // A marked reply that names a phase has an event of its own (see `take`).
            let named = self
                .marked(t.message)
                .then(|| phase_named(&t.message.text))
                .flatten();
            let phase = named.or((i == 0).then_some(Phase::Detected));
            if let Some(phase) = phase
                && reached.is_none_or(|r| phase > r)
            {
                event.phase = Some(phase);
                reached = Some(phase);
            }
        }
        reached
    }

    fn title(&self, channel: &Channel) -> String {
        let purpose = channel.purpose.clone().unwrap_or_default().value;
        let purpose = to_plain(&purpose, self.directory);
        if purpose.is_empty() {
            format!("#{}", channel.name)
        } else {
            purpose
        }
    }

    fn summary(&self, channel: &Channel, messages: &[Message], marked: usize) -> String {
        let mut people: Vec<String> = messages.iter().map(|m| self.author(m).0).collect();
        people.sort();
        people.dedup();
        let when = |m: Option<&Message>| {
            m.map(|m| self.local(m.ts.at).format("%Y-%m-%d %H:%M").to_string())
                .unwrap_or_default()
        };
        let emoji = self.options.emoji.trim_matches(':');
        format!(
            "Drafted from Slack #{}: {} messages from {} people or bots between {} and {}, \
             {marked} of them marked with :{emoji}:. Replace this with what happened.",
            markdown_text(&channel.name),
            messages.len(),
            people.len(),
            when(messages.first()),
            when(messages.last()),
            emoji = markdown_text(emoji),
        )
    }

    fn local(&self, at: DateTime<Utc>) -> DateTime<Tz> {
        at.with_timezone(&self.zone)
    }

    /// The author's name and whether it is a bot.
    fn author(&self, m: &Message) -> (String, bool) {
        let user = m
            .user
            .as_deref()
            .and_then(|id| self.directory.users.get(id));
        let bot = m.subtype.as_deref() == Some("bot_message")
            || m.bot_id.is_some()
            || user.is_some_and(|u| u.bot);
        let from_bot = m
            .bot_profile
            .as_ref()
            .and_then(Profile::best)
            .or(m.username.clone().filter(|n| !n.trim().is_empty()));
        let from_user = user.map(|u| u.name.clone()).or_else(|| {
            m.user_profile
                .as_ref()
                .and_then(Profile::best)
                .or(m.user.clone())
        });
        let name = if bot {
            from_bot.or(from_user)
        } else {
            from_user.or(from_bot)
        };
        (name.unwrap_or_else(|| "someone".into()), bot)
    }

    /// `**Name**` or `**Name** (bot)`.
    fn byline(&self, m: &Message) -> String {
        let (name, bot) = self.author(m);
        let name = format!("**{}**", markdown_text(&name));
        if bot { format!("{name} (bot)") } else { name }
    }

    fn event_text(&self, t: &Taken) -> String {
        let mut head = self.byline(t.message);
        if let Some(parent) = t.parent {
            head.push_str(&format!(
                ", in the thread of {} at {}",
                self.byline(parent),
                self.local(parent.ts.at).format("%H:%M:%S")
            ));
        }
        let mut text = joined(&head, &self.body(t.message));
        let day = self.local(t.message.ts.at).date_naive();
        for reply in &t.replies {
            let at = self.local(reply.ts.at);
            let when = if at.date_naive() == day {
                at.format("%H:%M:%S").to_string()
            } else {
                at.format("%Y-%m-%d %H:%M:%S").to_string()
            };
            let quoted = joined(
                &format!("{} at {when}", self.byline(reply)),
                &self.body(reply),
            );
            text.push_str("\n\n");
            text.push_str(&quote(&quoted));
        }
        text
    }

    /// A message's text, attachments and files as Markdown.
    fn body(&self, m: &Message) -> String {
        let mut parts = vec![to_markdown(&m.text, self.directory)];
        for a in &m.attachments {
            parts.push(self.attachment(a));
        }
        for f in &m.files {
            if matches!(f.mode.as_deref(), Some("tombstone" | "hidden_by_limit")) {
                continue;
            }
            let name = [&f.title, &f.name]
                .into_iter()
                .flatten()
                .map(|n| n.trim())
                .find(|n| !n.is_empty());
            if let Some(name) = name {
                parts.push(format!("*Attached:* {}", markdown_text(name)));
            }
        }
        parts.retain(|p| !p.trim().is_empty());
        parts.join("\n\n")
    }

    fn attachment(&self, a: &Attachment) -> String {
        let md = |t: &Option<String>| to_markdown(t.as_deref().unwrap_or_default(), self.directory);
        let title = match (md(&a.title), a.title_link.as_deref()) {
            (t, Some(link)) if !t.is_empty() && is_web(link) => {
                format!("**[{t}]({})**", crate::escape::markdown_link_target(link))
            }
            (t, _) if !t.is_empty() => format!("**{t}**"),
            _ => String::new(),
        };
        let parts: Vec<String> = [md(&a.pretext), title, md(&a.text)]
            .into_iter()
            .filter(|p| !p.is_empty())
            .collect();
        if parts.is_empty() {
            md(&a.fallback)
        } else {
            parts.join("\n")
        }
    }
}

fn is_web(url: &str) -> bool {
    let lower = url.to_ascii_lowercase();
    lower.starts_with("https://") || lower.starts_with("http://")
}

/// `head: body` on one line, or the body as its own paragraph when it has several lines.
fn joined(head: &str, body: &str) -> String {
    if body.is_empty() {
        head.to_owned()
    } else if body.contains('\n') {
        format!("{head}:\n\n{body}")
    } else {
        format!("{head}: {body}")
    }
}

/// Markdown as a block quote.
fn quote(markdown: &str) -> String {
    markdown
        .lines()
        .map(|l| {
            if l.is_empty() {
                ">".to_owned()
            } else {
                format!("> {l}")
            }
        })
        .collect::<Vec<_>>()
        .join("\n")
}

/// The furthest phase that `text` names (see [`KEYWORDS`]).
fn phase_named(text: &str) -> Option<Phase> {
    let words: Vec<String> = text
        .split(|c: char| !c.is_alphanumeric() && c != '\'')
        .filter(|w| !w.is_empty())
        .map(str::to_lowercase)
        .collect();
    let has = |phrase: &str| {
        let phrase: Vec<&str> = phrase.split(' ').collect();
        words
            .windows(phrase.len())
            .any(|w| w.iter().zip(&phrase).all(|(a, b)| a == b))
    };
    KEYWORDS
        .iter()
        .rev()
        .find(|(_, words)| words.iter().any(|w| has(w)))
        .map(|(phase, _)| *phase)
}

/// `SEV1`..`SEV5` when the channel's name, topic or purpose says so; else SEV3.
fn severity(channel: &Channel) -> Severity {
    let texts = [
        channel.name.clone(),
        channel.topic.clone().unwrap_or_default().value,
        channel.purpose.clone().unwrap_or_default().value,
    ];
    for text in texts {
        let lower = text.to_ascii_lowercase();
        for word in lower.split(|c: char| !c.is_ascii_alphanumeric()) {
            if let Some(s) = crate::model::Scale::default().parse(&word.to_ascii_uppercase()) {
                return s;
            }
        }
    }
    Severity::default_level(3)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn timestamps() {
        let cases = [
            ("1772618400.123456", Some("2026-03-04T10:00:00.123456Z")),
            ("1772618400.000200", Some("2026-03-04T10:00:00.000200Z")),
            ("1772618400", Some("2026-03-04T10:00:00Z")),
            ("1772618400.5", Some("2026-03-04T10:00:00.500Z")),
            ("", None),
            (".5", None),
            ("1772618400.1234567890", None),
            ("-1772618400.1", None),
            ("1772618400.12a", None),
            ("99999999999999.1", None),
            ("1e9", None),
        ];
        for (raw, expected) in cases {
            let expected = expected.map(|e| e.parse::<DateTime<Utc>>().unwrap());
            assert_eq!(parse_ts(raw), expected, "{raw:?}");
        }
    }

    fn export(days: &str) -> Archive {
        let channels = r#"[{"id": "C1", "name": "inc-sev1-db", "purpose": {"value": ""}}]"#;
        let users = r#"[{"id": "U1", "name": "ann", "profile": {"display_name": "Ann"}},
                        {"id": "U2", "name": "ci", "is_bot": true, "profile": {"real_name": "CI"}}]"#;
        let files = [
            ("channels.json", channels),
            ("users.json", users),
            ("inc-sev1-db/2026-03-04.json", days),
        ];
        let files = files
            .iter()
            .map(|(n, t)| (n.to_string(), t.as_bytes().to_vec()))
            .collect();
        Archive::memory(files, 1 << 20)
    }

    fn options() -> Options {
        Options {
            channel: "C1".into(),
            all: true,
            emoji: DEFAULT_EMOJI.into(),
            phases_from_keywords: false,
            zone: None,
        }
    }

    #[test]
    fn orphan_replies_hidden_messages_and_bot_users() {
        let days = r#"[
            {"type": "message", "user": "U1", "text": "first", "ts": "1772618400.000100"},
            {"type": "message", "user": "U1", "text": "reply to a parent not exported",
             "ts": "1772618460.000200", "thread_ts": "1772500000.000000", "parent_user_id": "U9"},
            {"type": "message", "user": "U1", "text": "hidden", "ts": "1772618470.000000",
             "hidden": true},
            {"type": "message", "user": "U2", "text": "build 812 failed", "ts": "1772618480.000000"}
        ]"#;
        let draft = import(&mut export(days), &options()).unwrap();
        let texts: Vec<&str> = draft.timeline.iter().map(|e| e.text.as_str()).collect();
        assert_eq!(
            texts,
            [
                "**Ann**: first",
                "**Ann**: reply to a parent not exported",
                "**CI** (bot): build 812 failed"
            ]
        );
        assert_eq!(draft.title, "#inc-sev1-db");
        assert_eq!(
            draft.severity,
            Severity::default_level(1),
            "from the channel's name"
        );
        assert_eq!(draft.id, "2026-03-04-inc-sev1-db");
    }

    /// A channel's name is a folder of the export: a crafted `channels.json` must not make
    /// the import read files outside it.
    #[test]
    fn a_channel_name_cannot_leave_the_export() {
        for name in ["../inc-sev1-db", "..", "a/b", "a\\b"] {
            let channels = format!(r#"[{{"id": "C1", "name": {}}}]"#, serde_json::json!(name));
            let files = vec![("channels.json".to_owned(), channels.into_bytes())];
            let e = import(&mut Archive::memory(files, 1 << 20), &options()).unwrap_err();
            assert!(
                e.to_string().contains("is not a channel name"),
                "{name}: {e}"
            );
        }
    }

    #[test]
    fn a_channel_of_only_housekeeping_is_refused() {
        let days = r#"[{"type": "message", "subtype": "channel_join", "user": "U1",
                        "text": "<@U1> has joined the channel", "ts": "1772618400.000100"}]"#;
        let e = import(&mut export(days), &options()).unwrap_err();
        assert_eq!(e.to_string(), "#inc-sev1-db has no messages in the export");
    }

    #[test]
    fn keywords_name_phases() {
        let cases = [
            (
                "Root cause identified: bad config push",
                Some(Phase::Identified),
            ),
            (
                "Rolled back, error rate mitigated. Monitoring.",
                Some(Phase::Mitigated),
            ),
            ("ALL CLEAR, incident resolved", Some(Phase::Resolved)),
            ("acked, looking", Some(Phase::Acknowledged)),
            ("the root of the cause", None),
            ("unresolved questions", None),
            ("backpack", None),
            ("", None),
        ];
        for (text, phase) in cases {
            assert_eq!(phase_named(text), phase, "{text:?}");
        }
    }
}
