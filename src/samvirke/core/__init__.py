"""The ground floor: pieces every app may use and that know no app above them (the
request context, the plugin registry). Nothing here imports another Samvirke app."""
