# Golden fixture: a module whose path is not ASCII ("préparation"), with a finding of its own.
import pandas as pd


def charger():
    return pd.read_csv("/home/zoé/données/clients.csv")
