"""Fraud detection in real time: a simulated bank, a live scored stream, a cost-aware threshold."""

from __future__ import annotations

import streamlit as st

from models.fraud.simulator import SimulationConfig
from models.fraud.train import MODELS
from ui.after_launch import after_launch_section
from ui.demos import demo_by_key
from ui.layout import depth_tabs, explanation, guard, hero, page_header, pipeline_strip
from ui.loaders.fraud import bank, model_for
from ui.sections.fraud import (
    bank_settings,
    card_section,
    craft_section,
    data_section,
    engineer_section,
    evaluation_section,
    sidebar_settings,
    stream_section,
    threshold_section,
    upload_section,
)
from ui.warmup import wait_while_warming

demo = demo_by_key("fraud")
page_header(
    demo,
    points=[
        "Every card payment is scored in milliseconds, before it is approved.",
        "The model learns from the card's own habits and each terminal's fraud record.",
        "Press Play, then inject a fraud burst: watch the alerts and their reasons.",
        "Moving the threshold trades missed fraud against the cost of reviewing alerts.",
    ],
)
wait_while_warming("fraud")
first_screen = hero(demo)
how, bank_tab, line, craft, quality, files, after, engineer = depth_tabs(
    [
        ("How it works", "A payment is scored from the card's own habits and the terminal's recent fraud record."),
        (
            "The simulated bank",
            "Real card data are private, so a documented simulator stands in for a bank: "
            "choose its size and its frauds.",
        ),
        ("Where to draw the line", "Every alert costs an investigator's time; every missed fraud costs its amount."),
        ("Try to beat it", "Make up a payment and see whether the detector flags it, and why."),
        ("Is it any good?", "The test week was never seen in training: how well the model ranks its frauds."),
        ("Your payments", "Score a file of your own payments against this bank's history."),
        (
            "After launch",
            "Once live, the world changes: watch precision fall, the drift alarm fire, and retraining bring it back.",
        ),
        ("The engineer's view", "Learning curves, other models, the maths, the code and who it serves worse."),
    ],
    key="fraud_tabs",
)
name, params = sidebar_settings()
config = SimulationConfig()
with bank_tab, guard("setting up the simulated bank"):
    config = bank_settings().validate()
data = None
with first_screen, guard("simulating the bank"), st.spinner("Simulating the bank's payments and their features…"):
    data = bank(config)
fitted = None
if data is not None:
    with first_screen, guard("training the model"), st.spinner(f"Training the {MODELS[name]} on the training week…"):
        fitted = model_for(config, name, params)
with how:
    pipeline_strip(demo, data=None if data is None else f"a simulated bank: {len(data):,} card payments")
    explanation(
        "Why these payments get caught",
        "A payment is suspicious when it breaks **this card's own habits** (five times its usual amount) "
        "or happens at a **terminal with a recent fraud record**. Fraud labels arrive a week late, so the "
        "model only ever uses what an investigator had already confirmed.",
    )
if data is not None and fitted is not None:
    threshold = 0.5
    with first_screen, guard("running the live stream"):
        threshold = stream_section(config, fitted)
    with how, guard("showing the data"):
        data_section(config, data)
    with line, guard("drawing the threshold view"):
        threshold_section(config, name, params, threshold)
    with craft, guard("scoring your payment"):
        craft_section(config, name, params, fitted, threshold)
    with quality, guard("measuring the model"):
        evaluation_section(config, name, params)
    with files, guard("scoring your file"):
        upload_section(config, fitted, threshold)
    with after, guard("playing the after-launch story"):
        after_launch_section(config.n_customers)
    with engineer, guard("preparing the engineer's view"):
        engineer_section(config, name, params, threshold)
    with guard("writing the model card"):
        card_section(config, name, params)
