import pandas as pd

from churn.split import split


def test_split_keeps_every_row():
    frame = pd.DataFrame({"tenure": range(10), "churned": [0, 1] * 5})
    x_train, x_test, y_train, y_test = split(frame, 0.2, seed=0)
    assert len(x_train) + len(x_test) == 10
