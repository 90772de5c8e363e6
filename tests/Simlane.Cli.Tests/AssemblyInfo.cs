// The tests check Unix file modes (profiles are 0600) and run bash for completion: they run on Linux and macOS.
[assembly: System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
