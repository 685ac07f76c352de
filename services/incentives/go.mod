module github.com/zoneops/zoneops/services/incentives

go 1.26.0

require github.com/zoneops/zoneops/libs/platform v0.0.0

replace github.com/zoneops/zoneops/libs/platform => ../../libs/platform

require pgregory.net/rapid v1.3.0

replace github.com/zoneops/zoneops/libs/events => ../../libs/events
