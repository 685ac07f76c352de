package apitest

// Uncovered is uncovered, for the tests of the matrix.
var Uncovered = uncovered
