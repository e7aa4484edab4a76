package errcode

//go:generate go run ./cmd/errcode docs -o CODES.md
