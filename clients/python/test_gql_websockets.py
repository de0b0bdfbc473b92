"""gql over websockets (graphql-transport-ws): a subscription to measurementRecorded receives the
measurement that a recordMeasurements mutation, sent over HTTP, writes."""

import asyncio

from gql import Client, GraphQLRequest, gql
from gql.transport.websockets import WebsocketsTransport

from support import WS_URL, record_measurements, token

MEASUREMENT_RECORDED = gql(
    """
    subscription Clicks($kpiKeys: [String!]) {
      measurementRecorded(kpiKeys: $kpiKeys) {
        change
        measurement { kpiKey date value source externalId lever }
      }
    }
    """
)

MEASUREMENT = {
    "kpiKey": "clicks",
    "date": "2027-03-02",
    "value": "17.5",
    "source": "python-suite",
    "externalId": "py-ws-1",
    "lever": "EMAILING",
}


async def first_event(bearer: str) -> dict:
    transport = WebsocketsTransport(
        url=WS_URL,
        subprotocols=[WebsocketsTransport.GRAPHQLWS_SUBPROTOCOL],  # graphql-transport-ws
        init_payload={"Authorization": f"Bearer {bearer}"},
    )
    async with Client(transport=transport) as session:
        request = GraphQLRequest(MEASUREMENT_RECORDED, variable_values={"kpiKeys": ["clicks"]})
        events = session.subscribe(request)

        # The server listens a moment after `subscribe` is sent and replays nothing: record the
        # same measurement (same source and externalId, so one row) until the event arrives.
        async def keep_recording():
            for _ in range(20):
                await asyncio.to_thread(record_measurements, bearer, [MEASUREMENT])
                await asyncio.sleep(0.25)
            raise AssertionError("no measurementRecorded event within 20 recorded batches")

        next_event = asyncio.ensure_future(anext(events))
        recorder = asyncio.create_task(keep_recording())
        try:
            done, _ = await asyncio.wait({next_event, recorder}, timeout=15, return_when=asyncio.FIRST_COMPLETED)
            if next_event in done:
                return next_event.result()
            if recorder in done:
                recorder.result()  # raises why it stopped
            raise AssertionError("no measurementRecorded event within 15 s")
        finally:
            recorder.cancel()
            next_event.cancel()
            await events.aclose()  # completes the subscription


def test_subscription_receives_a_recorded_measurement():
    event = asyncio.run(first_event(token("gql-ws")))
    assert event["measurementRecorded"]["change"] in ("INSERTED", "UPDATED")
    assert event["measurementRecorded"]["measurement"] == MEASUREMENT
