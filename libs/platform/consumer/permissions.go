package consumer

import (
	"github.com/zoneops/zoneops/libs/platform/dlq"
	"github.com/zoneops/zoneops/libs/platform/natsx"
)

// Permissions are the NATS subjects a Runner consuming stream with the durable name needs: to
// declare its durable, pull and acknowledge messages, and dead-letter them under its name.
// They do not let it publish into stream.
func Permissions(stream, name string) natsx.Permissions {
	return natsx.Consumer(stream, name).Merge(dlq.Permissions(name))
}
