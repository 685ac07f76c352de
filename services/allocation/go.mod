module github.com/zoneops/zoneops/services/allocation

go 1.26.0

require (
	github.com/peterstace/simplefeatures v0.50.0
	github.com/zoneops/zoneops/libs/events v0.0.0
	github.com/zoneops/zoneops/libs/platform v0.0.0
)

replace (
	github.com/zoneops/zoneops/libs/events => ../../libs/events
	github.com/zoneops/zoneops/libs/platform => ../../libs/platform
)
