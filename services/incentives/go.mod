module github.com/zoneops/zoneops/services/incentives

go 1.26.0
