// Command zonectl is the command-line client of zoneops; see internal/cli.
package main

import (
	"os"

	"github.com/zoneops/zoneops/services/zoneops/internal/cli"
)

func main() {
	os.Exit(cli.Main())
}
