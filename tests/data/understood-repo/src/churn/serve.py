"""Serves the exported ONNX model."""
import onnxruntime
from fastapi import FastAPI

app = FastAPI()
session = onnxruntime.InferenceSession("models/churn.onnx")


@app.post("/predict")
def predict(features: list[float]) -> float:
    (scores,) = session.run(None, {"input": [features]})
    return float(scores[0][1])
