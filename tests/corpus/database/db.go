package store

import (
	"database/sql"
	"fmt"

	_ "github.com/go-sql-driver/mysql"
	_ "github.com/lib/pq"
)

const mysqlDSN = "billing:dtsk7GrbFf.GenNrOGfU@tcp(mysql.acme.internal:3306)/billing?parseTime=true"

func OpenPostgres(host string) (*sql.DB, error) {
	dsn := fmt.Sprintf("host=%s port=5432 user=ledger password=k5b3Dgks8uTg%y3WJ2cS dbname=ledger sslmode=require", host)
	return sql.Open("postgres", dsn)
}

func OpenMySQL() (*sql.DB, error) {
	return sql.Open("mysql", mysqlDSN)
}
