//! Issue 11 end to end against emby-sim, through the real binary: an administrator links a
//! user or invites someone -> Emby Connect holds a waiting invitation -> that Connect user sees
//! and accepts it -> the server is in their list, signed in as the linked local user. Sign-up,
//! whoami, and every error path of the command-line contract (exit 1, one sentence).

mod common;

use common::*;
use emby_tui::sim::{Fault, Sim};
use serde_json::Value;

/// A config dir signed in to Connect as `user` (its password is its name in the demo world)
/// with its servers reached once.
async fn signed_in(sim: &Sim, user: &str) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let run = emby_tui(
        sim,
        dir.path(),
        &["connect", "login", "--user", user, "--password-stdin"],
        Some(&format!("{user}\n")),
    )
    .await;
    assert_eq!(run.code, 0, "{}", run.stderr);
    let run = emby_tui(sim, dir.path(), &["servers", "--json"], None).await;
    assert_eq!(run.code, 0, "{}", run.stderr);
    dir
}

async fn ok(sim: &Sim, dir: &std::path::Path, args: &[&str]) -> Run {
    let run = emby_tui(sim, dir, args, None).await;
    assert_eq!(run.code, 0, "{args:?}: {}", run.stderr);
    run
}

/// The run failed with exit status 1 and one line on stderr containing `sentence`, and nothing
/// on stdout.
fn failed_with(run: &Run, sentence: &str) {
    assert_eq!(run.code, 1, "stdout {} stderr {}", run.stdout, run.stderr);
    assert_eq!(
        run.stderr.trim().lines().count(),
        1,
        "one sentence: {:?}",
        run.stderr
    );
    assert!(
        run.stderr.contains(sentence),
        "{:?} does not say {sentence:?}",
        run.stderr
    );
    assert!(run.stdout.is_empty(), "{}", run.stdout);
}

fn user<'a>(users: &'a Value, name: &str) -> &'a Value {
    users
        .as_array()
        .unwrap()
        .iter()
        .find(|u| u["name"] == name)
        .unwrap_or_else(|| panic!("no user {name} in {users}"))
}

#[tokio::test(flavor = "multi_thread")]
async fn a_user_linked_by_e_mail_is_pending_until_the_friend_accepts_then_listed_as_that_user() {
    let sim = demo_sim().await;
    let living = id_of(&sim, "Living Room");
    let admin = signed_in(&sim, "demo").await;

    let users = json(&ok(&sim, admin.path(), &["users", &living, "--json"]).await);
    let demo = user(&users, "demo");
    assert_eq!(demo["is_administrator"], true);
    assert_eq!(demo["connect_user_name"], "demo");
    assert_eq!(demo["connect_link_type"], "linked");
    assert_eq!(demo["has_password"], true);
    assert!(
        demo["last_activity"]
            .as_str()
            .is_some_and(|d| d.len() >= 19 && &d[4..5] == "-" && &d[10..11] == "T"),
        "{demo}"
    );
    let kid = user(&users, "kid");
    assert_eq!(kid["is_administrator"], false);
    assert_eq!(kid["connect_user_name"], Value::Null);
    assert_eq!(kid["connect_link_type"], Value::Null);
    assert_eq!(kid["has_password"], false);
    let kid_id = kid["id"].as_str().unwrap().to_string();
    let keys: Vec<&String> = kid.as_object().unwrap().keys().collect();
    assert_eq!(
        keys,
        [
            "connect_link_type",
            "connect_user_name",
            "has_password",
            "id",
            "is_administrator",
            "last_activity",
            "name"
        ]
    );

    // the administrator links kid to the friend's e-mail: pending
    let run = ok(
        &sim,
        admin.path(),
        &["users", "link", &living, &kid_id, "friend@example.com"],
    )
    .await;
    assert_eq!(run.stdout.trim(), "pending");
    let pending = json(&ok(&sim, admin.path(), &["pending", &living, "--json"]).await);
    assert_eq!(pending.as_array().unwrap().len(), 1, "{pending}");
    assert_eq!(pending[0]["user_name"], "friend");
    assert!(pending[0]["id"].as_str().is_some_and(|i| !i.is_empty()));
    assert!(pending[0]["connect_user_id"].is_string());

    // the friend's Connect account lists the invitation; before accepting, no Living Room
    let friend = signed_in(&sim, "friend").await;
    let listed = json(&ok(&sim, friend.path(), &["servers", "--json"]).await);
    assert!(
        !listed.as_array().unwrap().iter().any(|s| s["id"] == living),
        "{listed}"
    );
    let invitations = json(&ok(&sim, friend.path(), &["invitations", "--json"]).await);
    assert!(
        invitations
            .as_array()
            .unwrap()
            .iter()
            .any(|i| i["id"] == living && i["name"] == "Living Room"),
        "{invitations}"
    );
    ok(&sim, friend.path(), &["invitations", "accept", &living]).await;

    // accepted: the server is in the friend's list, signed in as kid through the exchange
    let listed = json(&ok(&sim, friend.path(), &["servers", "--json"]).await);
    let room = entry(&listed, &living);
    assert_eq!(room["source"], "connect");
    assert_eq!(room["state"], "signed_in", "{room}");
    assert_eq!(room["user_id"], kid_id.as_str());
    assert_eq!(room["user_name"], "kid");
    assert_eq!(room["link_type"], "linked");
    let views = json(&ok(&sim, friend.path(), &["views", &living, "--json"]).await);
    assert!(!views.as_array().unwrap().is_empty());

    // and the administrator sees the link, no longer pending
    let users = json(&ok(&sim, admin.path(), &["users", &living, "--json"]).await);
    assert_eq!(user(&users, "kid")["connect_user_name"], "friend");
    assert_eq!(user(&users, "kid")["connect_link_type"], "linked");
    let pending = json(&ok(&sim, admin.path(), &["pending", &living, "--json"]).await);
    assert_eq!(pending, serde_json::json!([]));

    // unlinked: gone from the friend's list at the next refresh
    ok(&sim, admin.path(), &["users", "unlink", &living, "kid"]).await;
    let listed = json(&ok(&sim, friend.path(), &["servers", "--json"]).await);
    assert!(
        !listed.as_array().unwrap().iter().any(|s| s["id"] == living),
        "{listed}"
    );
    sim.shutdown().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn an_invited_guest_accepts_and_sees_only_the_shared_library() {
    let sim = demo_sim().await;
    let living = id_of(&sim, "Living Room");
    let admin = signed_in(&sim, "demo").await;
    let libraries = json(&ok(&sim, admin.path(), &["views", &living, "--json"]).await);
    let movies = libraries
        .as_array()
        .unwrap()
        .iter()
        .find(|v| v["collection_type"] == "movies")
        .expect("a movies library")["id"]
        .as_str()
        .unwrap()
        .to_string();
    assert!(libraries.as_array().unwrap().len() > 1);

    let run = ok(
        &sim,
        admin.path(),
        &["invite", &living, "friend", "--library", &movies],
    )
    .await;
    assert_eq!(run.stdout.trim(), "pending");
    let pending = json(&ok(&sim, admin.path(), &["pending", &living, "--json"]).await);
    assert_eq!(pending[0]["user_name"], "friend", "{pending}");
    // inviting again: they already have access
    let again = emby_tui(&sim, admin.path(), &["invite", &living, "friend"], None).await;
    failed_with(&again, "friend already has access to Living Room");

    let friend = signed_in(&sim, "friend").await;
    ok(&sim, friend.path(), &["invitations", "accept", &living]).await;
    let listed = json(&ok(&sim, friend.path(), &["servers", "--json"]).await);
    let room = entry(&listed, &living);
    assert_eq!(room["state"], "signed_in", "{room}");
    assert_eq!(room["link_type"], "guest");
    assert_eq!(room["user_name"], "friend");
    let views = json(&ok(&sim, friend.path(), &["views", &living, "--json"]).await);
    let ids: Vec<&str> = views
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|v| v["id"].as_str())
        .collect();
    assert_eq!(ids, [movies.as_str()], "only the shared library");

    // the guest is a (hidden) user of the server now, linked as a guest
    let users = json(&ok(&sim, admin.path(), &["users", &living, "--json"]).await);
    assert_eq!(user(&users, "friend")["connect_link_type"], "guest");
    sim.shutdown().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn a_pending_invitation_is_cancelled_and_the_friend_no_longer_sees_it() {
    let sim = demo_sim().await;
    let living = id_of(&sim, "Living Room");
    let admin = signed_in(&sim, "demo").await;
    let run = ok(
        &sim,
        admin.path(),
        &["invite", &living, "friend@example.com"],
    )
    .await;
    assert_eq!(run.stdout.trim(), "pending");
    let pending = json(&ok(&sim, admin.path(), &["pending", &living, "--json"]).await);
    let id = pending[0]["id"].as_str().unwrap().to_string();
    let friend = signed_in(&sim, "friend").await;
    let invitations = json(&ok(&sim, friend.path(), &["invitations", "--json"]).await);
    assert!(invitations.to_string().contains(&living));

    ok(&sim, admin.path(), &["pending", "cancel", &living, &id]).await;
    let pending = json(&ok(&sim, admin.path(), &["pending", &living, "--json"]).await);
    assert_eq!(pending, serde_json::json!([]));
    let invitations = json(&ok(&sim, friend.path(), &["invitations", "--json"]).await);
    assert!(!invitations.to_string().contains(&living), "{invitations}");
    let run = emby_tui(
        &sim,
        admin.path(),
        &["pending", "cancel", &living, &id],
        None,
    )
    .await;
    failed_with(&run, &format!("Living Room has no pending invitation {id}"));
    sim.shutdown().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn an_invitation_to_an_e_mail_without_an_account_waits_for_its_sign_up() {
    let sim = demo_sim().await;
    let living = id_of(&sim, "Living Room");
    let admin = signed_in(&sim, "demo").await;
    let run = ok(
        &sim,
        admin.path(),
        &["users", "link", &living, "kid", "newcomer@example.com"],
    )
    .await;
    assert_eq!(run.stdout.trim(), "invited to sign up");

    let newcomer = tempfile::tempdir().unwrap();
    let run = emby_tui(
        &sim,
        newcomer.path(),
        &[
            "connect",
            "signup",
            "--email",
            "newcomer@example.com",
            "--user",
            "newcomer",
            "--password-stdin",
        ],
        Some("s3cret-pw\n"),
    )
    .await;
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(
        run.stderr
            .contains("Created the Emby Connect account newcomer")
    );
    assert!(!format!("{}{}", run.stdout, run.stderr).contains("s3cret-pw"));
    let run = emby_tui(
        &sim,
        newcomer.path(),
        &[
            "connect",
            "login",
            "--user",
            "newcomer@example.com",
            "--password-stdin",
        ],
        Some("s3cret-pw\n"),
    )
    .await;
    assert_eq!(run.code, 0, "{}", run.stderr);
    let me = json(&ok(&sim, newcomer.path(), &["connect", "whoami", "--json"]).await);
    assert_eq!(me["name"], "newcomer");
    assert_eq!(me["email"], "newcomer@example.com");
    assert!(me["id"].as_str().is_some_and(|i| !i.is_empty()));
    assert_eq!(me.as_object().unwrap().len(), 3, "{me}");
    let text = ok(&sim, newcomer.path(), &["connect", "whoami"]).await;
    assert!(text.stdout.contains("newcomer <newcomer@example.com>"));

    // the invitation was waiting for this address
    ok(&sim, newcomer.path(), &["invitations", "accept", &living]).await;
    let listed = json(&ok(&sim, newcomer.path(), &["servers", "--json"]).await);
    assert_eq!(entry(&listed, &living)["user_name"], "kid");
    sim.shutdown().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn sign_up_refusals_are_sentences_and_whoami_needs_a_sign_in() {
    let sim = demo_sim().await;
    let dir = tempfile::tempdir().unwrap();
    let signup = |email: &'static str, name: &'static str| {
        let (sim, dir) = (sim.clone(), dir.path().to_path_buf());
        async move {
            emby_tui(
                &sim,
                &dir,
                &[
                    "connect",
                    "signup",
                    "--email",
                    email,
                    "--user",
                    name,
                    "--password-stdin",
                ],
                Some("pw-123\n"),
            )
            .await
        }
    };
    failed_with(
        &signup("other@example.com", "demo").await,
        "the Emby Connect name demo is already taken",
    );
    failed_with(
        &signup("demo@example.com", "someone").await,
        "an Emby Connect account already uses demo@example.com",
    );
    sim.set_signup_captcha(true);
    let captcha = signup("new@example.com", "new").await;
    failed_with(&captcha, "finished in a web browser");
    assert!(captcha.stderr.contains("https://emby.media/connect"));
    sim.set_signup_captcha(false);
    let run = signup("new@example.com", "new").await;
    assert_eq!(run.code, 0, "{}", run.stderr);
    // sign-up signs nobody in
    failed_with(
        &emby_tui(&sim, dir.path(), &["connect", "whoami"], None).await,
        "not signed in to Emby Connect",
    );
    // every sign-up request carried X-Application and the registration token
    let register: Vec<_> = sim
        .connect_requests()
        .into_iter()
        .filter(|r| r.path.ends_with("/register"))
        .collect();
    assert_eq!(register.len(), 4);
    for r in &register {
        assert!(
            r.header("x-application")
                .is_some_and(|a| a.starts_with("emby-tui/"))
        );
        assert_eq!(r.header("x-connect-token"), Some("CONNECT-REGISTER"));
    }
    sim.shutdown().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn administration_errors_exit_1_with_one_sentence() {
    let sim = demo_sim().await;
    let living = sim.server("Living Room").unwrap();
    let cabin = id_of(&sim, "Cabin");
    let admin = signed_in(&sim, "demo").await;

    // an unknown user
    let run = emby_tui(
        &sim,
        admin.path(),
        &["users", "link", &living.id, "nobody", "friend"],
        None,
    )
    .await;
    failed_with(&run, "Living Room has no user nobody");
    // a Connect user already linked to another user of the server
    let run = emby_tui(
        &sim,
        admin.path(),
        &["users", "link", &living.id, "kid", "demo"],
        None,
    )
    .await;
    failed_with(
        &run,
        "that Emby Connect user is already linked to another user of Living Room",
    );
    // a Connect name that does not exist
    let run = emby_tui(
        &sim,
        admin.path(),
        &["users", "link", &living.id, "kid", "ghost"],
        None,
    )
    .await;
    failed_with(&run, "Emby Connect has no user named ghost");
    // an endpoint this server (4.8) does not have: the dashboard instead
    let run = emby_tui(&sim, admin.path(), &["invite", &cabin, "friend"], None).await;
    failed_with(&run, "has no Emby Connect guest invitations");
    assert!(run.stderr.contains("/web/index.html"), "{}", run.stderr);
    let run = emby_tui(
        &sim,
        admin.path(),
        &["pending", "cancel", &cabin, "x"],
        None,
    )
    .await;
    failed_with(&run, "servers since 4.7 no longer offer it");
    // an unknown library
    let run = emby_tui(
        &sim,
        admin.path(),
        &["invite", &living.id, "friend", "--library", "Comics"],
        None,
    )
    .await;
    failed_with(&run, "Living Room has no library Comics");
    // the server cannot reach Emby Connect (502)
    sim.set_connect_fault(Fault {
        refuse: true,
        ..Fault::default()
    });
    let run = emby_tui(
        &sim,
        admin.path(),
        &["users", "link", &living.id, "kid", "friend"],
        None,
    )
    .await;
    failed_with(&run, "Living Room cannot reach Emby Connect right now");
    let run = emby_tui(&sim, admin.path(), &["invite", &living.id, "friend"], None).await;
    failed_with(&run, "Living Room cannot reach Emby Connect right now");
    sim.set_connect_fault(Fault::default());

    // not an administrator: signed in to Living Room as kid
    let kid = tempfile::tempdir().unwrap();
    let run = emby_tui(
        &sim,
        kid.path(),
        &[
            "server",
            "add",
            &living.local_url,
            "--user",
            "kid",
            "--password-stdin",
        ],
        Some("\n"),
    )
    .await;
    assert_eq!(run.code, 0, "{}", run.stderr);
    for args in [
        vec!["users", living.id.as_str()],
        vec!["users", "link", &living.id, "kid", "friend"],
        vec!["users", "unlink", &living.id, "demo"],
        vec!["invite", &living.id, "friend"],
        vec!["pending", &living.id],
        vec!["pending", "cancel", &living.id, "x"],
    ] {
        let run = emby_tui(&sim, kid.path(), &args, None).await;
        failed_with(&run, "you are not an administrator of Living Room");
    }
    // and kid is still signed in there (a refusal is not a lost sign-in)
    let listed = json(&ok(&sim, kid.path(), &["servers", "--json"]).await);
    assert_eq!(entry(&listed, &living.id)["state"], "signed_in");
    // an unknown server
    let run = emby_tui(&sim, admin.path(), &["users", "nope"], None).await;
    failed_with(&run, "no saved server is called or has the Id `nope`");
    sim.shutdown().await;
}
