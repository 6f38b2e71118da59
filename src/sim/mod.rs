//! `emby-sim`: a simulator of the Emby Connect service, of N Emby Servers and of LAN discovery.
