"""Checks the raw customer table before it reaches training."""
import sys

import pandas as pd
import pandera as pa

SCHEMA = pa.DataFrameSchema(
    {
        "customer_id": pa.Column(int, unique=True),
        "tenure_months": pa.Column(int, pa.Check.ge(0)),
        "monthly_charges": pa.Column(float, pa.Check.in_range(0, 1000)),
        "support_calls": pa.Column(int, pa.Check.ge(0)),
        "churned": pa.Column(int, pa.Check.isin([0, 1])),
    }
)


def main(path: str) -> None:
    SCHEMA.validate(pd.read_csv(path))


if __name__ == "__main__":
    main(sys.argv[1])
