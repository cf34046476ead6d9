import pandas as pd
import pytest
from pandera.errors import SchemaError

from churn.validate import SCHEMA


def test_schema_accepts_valid_rows():
    df = pd.DataFrame(
        {"customer_id": [1, 2], "tenure_months": [3, 48], "monthly_charges": [70.5, 20.0],
         "support_calls": [4, 0], "churned": [1, 0]}
    )
    SCHEMA.validate(df)


def test_schema_rejects_negative_tenure():
    df = pd.DataFrame(
        {"customer_id": [1], "tenure_months": [-1], "monthly_charges": [70.5],
         "support_calls": [0], "churned": [0]}
    )
    with pytest.raises(SchemaError):
        SCHEMA.validate(df)
