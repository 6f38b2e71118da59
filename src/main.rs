fn main() {
    println!("emby-tui {}", env!("CARGO_PKG_VERSION"));
}
