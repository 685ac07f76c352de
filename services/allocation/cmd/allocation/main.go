// Command allocation runs the allocation service on its own: against external NATS and PostgreSQL in
// production, or on the embedded defaults (an in-process NATS server and a SQLite file under
// ./data) on a laptop.
package main

import (
	_ "time/tzdata" // legal dates are counted in Asia/Karachi even where the OS has no tz database

	"github.com/zoneops/zoneops/libs/platform/app"
	"github.com/zoneops/zoneops/services/allocation"
)

// version is set at build time with -ldflags "-X main.version=...".
var version = "dev"

func main() { app.Main(allocation.Definition().Program(version)) }
