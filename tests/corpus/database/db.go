package store

import (
	"database/sql"
	"fmt"

	_ "github.com/go-sql-driver/mysql"
	_ "github.com/lib/pq"
)

const mysqlDSN = "billing:eovRjTy1Tf.TBaIYMjgA@tcp(mysql.acme.internal:3306)/billing?parseTime=true"

func OpenPostgres(host string) (*sql.DB, error) {
	dsn := fmt.Sprintf("host=%s port=5432 user=ledger password=tOHabP6n1WnA.MMUUcQR dbname=ledger sslmode=require", host)
	return sql.Open("postgres", dsn)
}

func OpenMySQL() (*sql.DB, error) {
	return sql.Open("mysql", mysqlDSN)
}
