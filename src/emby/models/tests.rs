//! Parsing tolerance of the models against real-looking replies (shapes from protocol.md).

use super::*;
use crate::emby::error::Error;
use crate::emby::http::decode;

#[test]
fn public_system_info_reads_a_4x_reply_and_ignores_unknown_keys() {
    let json = r#"{"LocalAddress":"http://192.168.1.10:8096","LocalAddresses":["http://192.168.1.10:8096"],
        "WanAddress":"https://example.org:8920","RemoteAddresses":[],"ServerName":"Den",
        "Version":"4.8.11.0","Id":"8b1c5e1b0e7c4b1f9d1b1a2b3c4d5e6f","StartupWizardCompleted":true}"#;
    let info: PublicSystemInfo = serde_json::from_str(json).unwrap();
    assert_eq!(info.id.as_deref(), Some("8b1c5e1b0e7c4b1f9d1b1a2b3c4d5e6f"));
    assert_eq!(info.server_name.as_deref(), Some("Den"));
    assert_eq!(info.version.as_deref(), Some("4.8.11.0"));
    assert_eq!(info.local_addresses.len(), 1);
}

#[test]
fn every_model_accepts_an_empty_object() {
    serde_json::from_str::<PublicSystemInfo>("{}").unwrap();
    serde_json::from_str::<SystemInfo>("{}").unwrap();
    serde_json::from_str::<UserDto>("{}").unwrap();
    serde_json::from_str::<AuthenticationResult>("{}").unwrap();
    serde_json::from_str::<BaseItemDto>("{}").unwrap();
    serde_json::from_str::<UserItemDataDto>("{}").unwrap();
    serde_json::from_str::<QueryResult<BaseItemDto>>("{}").unwrap();
    serde_json::from_str::<ConnectUser>("{}").unwrap();
    serde_json::from_str::<ConnectServer>("{}").unwrap();
    serde_json::from_str::<ConnectAuthenticationExchangeResult>("{}").unwrap();
    serde_json::from_str::<PinCreationResult>("{}").unwrap();
    serde_json::from_str::<PinStatusResult>("{}").unwrap();
    serde_json::from_str::<PinExchangeResult>("{}").unwrap();
    serde_json::from_str::<UserLinkResult>("{}").unwrap();
    serde_json::from_str::<ConnectAuthorization>("{}").unwrap();
    serde_json::from_str::<PlaybackInfoResponse>("{}").unwrap();
    serde_json::from_str::<MediaSourceInfo>("{}").unwrap();
    serde_json::from_str::<MediaStream>("{}").unwrap();
    serde_json::from_str::<SignUpResult>("{}").unwrap();
}

#[test]
fn nulls_read_like_absent_keys() {
    let item: BaseItemDto = serde_json::from_str(
        r#"{"Id":"1","Genres":null,"ImageTags":null,"BackdropImageTags":null,"MediaSources":null,"UserData":null,"Name":null}"#,
    )
    .unwrap();
    assert!(item.genres.is_empty());
    assert!(item.image_tags.is_empty());
    assert_eq!(item.name, None);
    let page: QueryResult<BaseItemDto> = serde_json::from_str(r#"{"Items":null}"#).unwrap();
    assert!(page.items.is_empty());
}

#[test]
fn a_query_result_of_episodes_reads_the_browser_fields() {
    let json = r#"{"Items":[{"Name":"Pilot","ServerId":"s1","Id":"e1","RunTimeTicks":26000000000,
        "IsFolder":false,"Type":"Episode","ParentIndexNumber":1,"IndexNumber":1,"SeriesName":"Show",
        "SeriesId":"ser1","SeasonId":"sea1","ProductionYear":2010,"CommunityRating":7.9,
        "ImageTags":{"Primary":"tag1","Thumb":"tag2"},"BackdropImageTags":["b1"],
        "UserData":{"PlaybackPositionTicks":1200000000,"PlayCount":0,"IsFavorite":false,"Played":false,
        "PlayedPercentage":4.6,"Key":"k1","ItemId":"e1"},"MediaType":"Video","LocationType":"FileSystem"}],
        "TotalRecordCount":123}"#;
    let page: QueryResult<BaseItemDto> = serde_json::from_str(json).unwrap();
    assert_eq!(page.total_record_count, Some(123));
    let e = &page.items[0];
    assert_eq!(e.item_type.as_deref(), Some("Episode"));
    assert_eq!(e.run_time_ticks, Some(26_000_000_000));
    assert_eq!(
        e.image_tags.get("Primary").map(String::as_str),
        Some("tag1")
    );
    let data = e.user_data.as_ref().unwrap();
    assert_eq!(data.playback_position_ticks, Some(1_200_000_000));
    assert_eq!(data.played, Some(false));
}

#[test]
fn authentication_result_token_is_a_secret() {
    let json = r#"{"User":{"Name":"anna","Id":"u1","ServerId":"s1","HasPassword":true,
        "Policy":{"IsAdministrator":true,"IsHidden":false}},"SessionInfo":{"Id":"x"},
        "AccessToken":"0123456789abcdef0123456789abcdef","ServerId":"s1"}"#;
    let result: AuthenticationResult = serde_json::from_str(json).unwrap();
    let token = result.access_token.as_ref().unwrap();
    assert_eq!(token.expose(), "0123456789abcdef0123456789abcdef");
    assert!(result.user.as_ref().unwrap().is_administrator());
    assert!(!format!("{result:?}").contains("0123456789abcdef"));
}

#[test]
fn connect_sign_in_accepts_the_real_shape() {
    let json = r#"{"AccessToken":"ctok","User":{"Id":"cu1","Name":"anna","Email":"a@x","IsActive":true,
        "ImageUrl":"","IsSupporter":false}}"#;
    let s: ConnectSignIn = serde_json::from_str(json).unwrap();
    assert_eq!(s.access_token.expose(), "ctok");
    assert_eq!(s.user_id, "cu1");
    assert_eq!(s.user.unwrap().name.as_deref(), Some("anna"));
}

#[test]
fn connect_sign_in_accepts_the_documented_shape() {
    let s: ConnectSignIn =
        serde_json::from_str(r#"{"ConnectAccessToken":"ctok","ConnectUserId":"cu1"}"#).unwrap();
    assert_eq!(s.access_token.expose(), "ctok");
    assert_eq!(s.user_id, "cu1");
    assert!(s.user.is_none());
}

#[test]
fn connect_sign_in_without_token_is_not_understood() {
    let err = decode::<ConnectSignIn>("/service/user/authenticate", br#"{"User":{"Id":"cu1"}}"#)
        .unwrap_err();
    assert!(
        matches!(&err, Error::NotUnderstood { detail, .. } if detail.contains("AccessToken")),
        "{err}"
    );
    let err = decode::<ConnectSignIn>("/service/user/authenticate", br#"{"AccessToken":"t"}"#)
        .unwrap_err();
    assert!(err.to_string().contains("User.Id"), "{err}");
}

#[test]
fn connect_servers_list_reads_access_key_as_secret_and_user_type() {
    let json = r#"[{"Id":"c1","Url":"https://wan:8920","Name":"Den","SystemId":"sys1",
        "AccessKey":"key1","LocalAddress":"http://192.168.1.10:8096","UserType":"Guest","AcceptStatus":"Accepted"},
        {"Id":"c2","SystemId":"sys2","AccessKey":"key2"}]"#;
    let servers: Vec<ConnectServer> = serde_json::from_str(json).unwrap();
    assert_eq!(servers[0].system_id.as_deref(), Some("sys1"));
    assert_eq!(servers[0].access_key.as_ref().unwrap().expose(), "key1");
    assert!(servers[0].is_guest());
    assert!(!servers[1].is_guest());
    assert_eq!(servers[1].local_address, None);
    assert!(!format!("{servers:?}").contains("key1"));
}

#[test]
fn pin_results_parse() {
    let created: PinCreationResult = serde_json::from_str(
        r#"{"Pin":"1234","DeviceId":"d1","IsConfirmed":false,"IsExpired":false}"#,
    )
    .unwrap();
    assert_eq!(created.pin, "1234");
    let status: PinStatusResult =
        serde_json::from_str(r#"{"Pin":"1234","IsConfirmed":true}"#).unwrap();
    assert!(status.is_confirmed && !status.is_expired);
    let exchanged: PinExchangeResult =
        serde_json::from_str(r#"{"UserId":"cu1","AccessToken":"ctok"}"#).unwrap();
    assert_eq!(exchanged.access_token.unwrap().expose(), "ctok");
}

#[test]
fn exchange_and_link_results_parse() {
    let ex: ConnectAuthenticationExchangeResult =
        serde_json::from_str(r#"{"LocalUserId":"u1","AccessToken":"t1"}"#).unwrap();
    assert_eq!(ex.local_user_id.as_deref(), Some("u1"));
    let link: UserLinkResult = serde_json::from_str(
        r#"{"IsPending":true,"IsNewUserInvitation":false,"GuestDisplayName":"g"}"#,
    )
    .unwrap();
    assert_eq!(link.is_pending, Some(true));
}

#[test]
fn playback_info_reads_sources_and_streams() {
    let json = r#"{"MediaSources":[{"Protocol":"File","Id":"ms1","Path":"/m/a.mkv","Container":"mkv",
        "Size":1000,"Name":"a","RunTimeTicks":10,"SupportsDirectPlay":true,"SupportsDirectStream":true,
        "SupportsTranscoding":true,"Bitrate":8000000,"MediaStreams":[
        {"Codec":"h264","Type":"Video","Index":0,"Width":1920,"Height":1080,"IsDefault":true},
        {"Codec":"aac","Language":"eng","Type":"Audio","Index":1,"Channels":2,"DisplayTitle":"English AAC stereo"},
        {"Codec":"srt","Type":"Subtitle","Index":2,"IsExternal":true}]}],"PlaySessionId":"ps1"}"#;
    let info: PlaybackInfoResponse = serde_json::from_str(json).unwrap();
    let source = &info.media_sources[0];
    assert_eq!(source.media_streams.len(), 3);
    assert_eq!(
        source.media_streams[1].stream_type.as_deref(),
        Some("Audio")
    );
    assert_eq!(info.play_session_id.as_deref(), Some("ps1"));
}

#[test]
fn wrong_types_name_the_field() {
    let err = decode::<QueryResult<BaseItemDto>>(
        "/emby/Users/u1/Items",
        br#"{"Items":[{"Id":"1"},{"Id":5}],"TotalRecordCount":2}"#,
    )
    .unwrap_err();
    match &err {
        Error::NotUnderstood { endpoint, detail } => {
            assert_eq!(endpoint, "/emby/Users/u1/Items");
            assert!(detail.contains("Items[1].Id"), "{detail}");
        }
        other => panic!("expected NotUnderstood, got {other:?}"),
    }
    let err = decode::<QueryResult<BaseItemDto>>("/x", br#"{"Items":"x"}"#).unwrap_err();
    assert!(err.to_string().contains("Items"), "{err}");
}

#[test]
fn a_body_that_is_not_json_is_not_understood() {
    for body in [&b"<html>oops</html>"[..], b"", b"{\"Id\":", b"{} trailing"] {
        let err = decode::<PublicSystemInfo>("/emby/System/Info/Public", body).unwrap_err();
        assert!(
            matches!(err, Error::NotUnderstood { .. }),
            "{body:?}: {err:?}"
        );
    }
}

#[test]
fn a_wrong_typed_secret_field_does_not_leak_into_the_error() {
    // a token-shaped string in a numeric field would be quoted by serde; the secret fields
    // themselves are strings, so a wrong type there shows only the type, not a token.
    let err = decode::<AuthenticationResult>("/x", br#"{"AccessToken":12345}"#).unwrap_err();
    assert!(err.to_string().contains("AccessToken"), "{err}");
}

#[test]
fn provider_ids_and_the_dates_merging_needs_are_read() {
    let item: BaseItemDto = serde_json::from_str(
        r#"{"Id":"m1","Type":"Movie","ProviderIds":{"Imdb":"tt0111161","Tmdb":"278"},
            "DateCreated":"2021-01-01T00:00:00.0000000Z",
            "UserData":{"LastPlayedDate":"2021-02-01T10:00:00.0000000Z","Played":true}}"#,
    )
    .unwrap();
    assert_eq!(
        item.provider_ids.get("Imdb").map(String::as_str),
        Some("tt0111161")
    );
    assert_eq!(
        item.provider_ids.get("Tmdb").map(String::as_str),
        Some("278")
    );
    assert_eq!(
        item.date_created.as_deref(),
        Some("2021-01-01T00:00:00.0000000Z")
    );
    assert_eq!(
        item.user_data.unwrap().last_played_date.as_deref(),
        Some("2021-02-01T10:00:00.0000000Z")
    );
    let none: BaseItemDto = serde_json::from_str(r#"{"ProviderIds":null}"#).unwrap();
    assert!(none.provider_ids.is_empty());
}
