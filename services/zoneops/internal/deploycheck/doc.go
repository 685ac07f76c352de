// Package deploycheck holds only tests. They keep the operator files in deploy/ and the Helm
// chart in helm/zoneops true to the code:
//
//   - every YAML file under deploy/, the chart's Chart.yaml, values.yaml and ci/ values, and
//     every Grafana dashboard parse;
//   - every zoneops_* metric that the alert rules and dashboards name is one the services
//     really expose, checked against live scrapes of the tenants and allocation services
//     started in-process the way the zoneops binary starts them;
//   - every alert has an expression, a `for`, a severity label, and summary and description
//     annotations whose templates parse;
//   - dashboards use their ${datasource} variable and define every variable they use;
//   - the NATS cluster example passes the nats-server's own configuration parser with
//     JetStream fsyncing every write;
//   - the chart's values name only settings the services read;
//   - with promtool installed (required under `make alerts-test`): the rules pass `promtool
//     check rules`, every alert has unit tests that expect it to fire and to stay quiet and
//     they pass `promtool test rules`, and both services' scrapes pass `promtool check metrics`.
//
// The Helm templates are not rendered here (that needs helm); deploy/README.md shows the
// commands for promtool and helm that check the rest when those tools are installed.
package deploycheck
