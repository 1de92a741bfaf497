package store

import (
	"database/sql"
	"fmt"

	_ "github.com/go-sql-driver/mysql"
	_ "github.com/lib/pq"
)

const mysqlDSN = "billing:sk7GrbFfhG_nNrOGfUk5@tcp(mysql.acme.internal:3306)/billing?parseTime=true"

func OpenPostgres(host string) (*sql.DB, error) {
	dsn := fmt.Sprintf("host=%s port=5432 user=ledger password=b3Dgks8uTgPy.WJ2cSLI dbname=ledger sslmode=require", host)
	return sql.Open("postgres", dsn)
}

func OpenMySQL() (*sql.DB, error) {
	return sql.Open("mysql", mysqlDSN)
}
