"""The few calls the benchmark makes: one edition with two institutions, proposals, its summary and its programme's."""

from __future__ import annotations

import asyncio
import time

import aiohttp

from ochotnicy.bench.stack import Stack


class Api:
    def __init__(self, stack: Stack) -> None:
        self._stack = stack
        self._headers = {"Authorization": f"Bearer {stack.token}"}
        self._applications = f"{stack.urls['applications']}/api/v1"
        self.edition_id = ""
        self._institutions: list[str] = []

    @property
    def summary_url(self) -> str:
        return f"{self._stack.urls['reporting']}/api/v1/editions/{self.edition_id}/summary"

    @property
    def programme_summary_url(self) -> str:
        """The partnership programme's totals over all its editions (no years given)."""
        return f"{self._stack.urls['reporting']}/api/v1/programmes/partnerships/summary"

    async def _post(self, session: aiohttp.ClientSession, path: str, body: dict) -> dict:
        async with session.post(f"{self._applications}{path}", json=body, headers=self._headers) as response:
            payload = await response.json()
            if response.status != 201:
                raise RuntimeError(f"POST {path}: {response.status} {payload}")
            return payload

    async def prepare(self) -> None:
        """An open partnership edition and two institutions, visible in the summaries."""
        year = time.gmtime().tm_year
        async with aiohttp.ClientSession() as session:
            edition = await self._post(session, "/editions", {
                "programme": "partnerships", "name": "Partnerstwa – pomiar wydajności", "year": year, "round": "spring",
                "kind": "partnership", "mal_required": False, "opens_on": f"{year}-01-01", "closes_on": f"{year}-12-31",
                "grant_caps": [{"min_institutions": 2, "max_institutions": None, "cap": "6000.00"}],
            })
            self.edition_id = edition["id"]
            for name, kind in (("Biblioteka Pomiarowa", "library"), ("Dom Kultury Pomiarowy", "other")):
                self._institutions.append((await self._post(session, "/institutions", {
                    "name": name, "kind": kind, "district": "Wola",
                }))["id"])
            await self.wait_for_proposed(session, 0, timeout=60)

    @property
    def institutions(self) -> list[str]:
        return list(self._institutions)

    @property
    def headers(self) -> dict[str, str]:
        return dict(self._headers)

    def proposal(self, i: int) -> dict:
        """The body of proposal number i: both institutions, 5,000 PLN asked, under the edition's cap."""
        return {
            "edition_id": self.edition_id, "title": f"Partnerstwo pomiarowe {i}", "lead_institution_id": self._institutions[0],
            "institution_ids": self._institutions, "requested_amount": "5000.00",
        }

    async def propose(self, session: aiohttp.ClientSession, i: int, body: dict | None = None) -> int:
        """Sends proposal number i (or `body` in its place); returns the HTTP status."""
        async with session.post(f"{self._applications}/partnerships", json=body or self.proposal(i), headers=self._headers) as response:
            await response.read()
            return response.status

    async def summary(self, session: aiohttp.ClientSession, _i: int = 0) -> int:
        return await self._read(session, self.summary_url)

    async def programme_summary(self, session: aiohttp.ClientSession, _i: int = 0) -> int:
        return await self._read(session, self.programme_summary_url)

    async def _read(self, session: aiohttp.ClientSession, url: str) -> int:
        async with session.get(url, headers=self._headers) as response:
            await response.read()
            return response.status

    async def proposed(self, session: aiohttp.ClientSession) -> int | None:
        """Partnerships the summary counts, or None while reporting has not heard of the edition."""
        async with session.get(self.summary_url, headers=self._headers) as response:
            if response.status == 404:
                return None
            return (await response.json())["partnerships"]["proposed"]

    async def wait_for_proposed(self, session: aiohttp.ClientSession, count: int, timeout: float) -> float:
        """Polls the summary until it counts `count` proposals; returns when that was seen."""
        deadline = time.perf_counter() + timeout
        while time.perf_counter() < deadline:
            seen = await self.proposed(session)
            if seen is not None and seen >= count:
                return time.perf_counter()
            await asyncio.sleep(0.01)
        raise TimeoutError(f"the summary did not count {count} proposals within {timeout} s")
