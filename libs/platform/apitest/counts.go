package apitest

// Rows is the Count of table's rows, into n.
func Rows(table string, n *int64) Count {
	return Count{Into: []any{n}, Query: "SELECT count(*) FROM " + table}
}

// Versioned is the Count of a table whose rows carry a version: the rows into n and the sum of
// their versions into versions, so that an update of any row shows as well as an insert.
func Versioned(table string, n, versions *int64) Count {
	return Count{Into: []any{n, versions}, Query: "SELECT count(*), COALESCE(sum(version), 0) FROM " + table}
}
