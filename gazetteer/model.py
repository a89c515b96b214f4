"""The database schema (SQLAlchemy 2, typed). The same models serve SQLite and PostgreSQL."""

from __future__ import annotations

from typing import Any

from sqlalchemy import JSON, BigInteger, Column, Float, ForeignKey, Index, Integer, String, Table, Text
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship


class Base(DeclarativeBase):
    pass


claim_holders = Table(
    "claim_holders",
    Base.metadata,
    Column("claim_id", ForeignKey("name_claims.id", ondelete="CASCADE"), primary_key=True),
    Column("holder_id", ForeignKey("holders.id"), primary_key=True),
)


class Place(Base):
    """A place: curated (from ``data/``) or from the GeoNames base layer."""

    __tablename__ = "places"
    id: Mapped[str] = mapped_column(String(80), primary_key=True)
    kind: Mapped[str] = mapped_column(String(20))
    label: Mapped[str] = mapped_column(String(200))
    lat: Mapped[float] = mapped_column(Float)
    lon: Mapped[float] = mapped_column(Float)
    country: Mapped[str | None] = mapped_column(String(2), index=True)
    layer: Mapped[str] = mapped_column(String(10), index=True)  # "curated" or "base"
    priority: Mapped[int] = mapped_column(Integer, default=0)
    population: Mapped[int | None] = mapped_column(BigInteger)  # continents exceed 32 bits
    polygon: Mapped[dict[str, Any] | None] = mapped_column(JSON)  # GeoJSON geometry
    citations: Mapped[list[str]] = mapped_column(JSON, default=list)
    note: Mapped[str | None] = mapped_column(Text)
    # Base towns: the first-level division they lie in (a place id), where the source says so.
    region: Mapped[str | None] = mapped_column(String(80))

    external_ids: Mapped[list[ExternalId]] = relationship(back_populates="place", cascade="all, delete-orphan")
    name_claims: Mapped[list[NameClaim]] = relationship(back_populates="place", cascade="all, delete-orphan")
    usage_notes: Mapped[list[UsageNote]] = relationship(back_populates="place", cascade="all, delete-orphan")
    relations: Mapped[list[Relation]] = relationship(
        back_populates="place", cascade="all, delete-orphan", foreign_keys="Relation.place_id"
    )


class ExternalId(Base):
    """An identifier of the place in another gazetteer: ``wikidata``, ``geonames`` or ``wof``."""

    __tablename__ = "external_ids"
    place_id: Mapped[str] = mapped_column(ForeignKey("places.id", ondelete="CASCADE"), primary_key=True)
    scheme: Mapped[str] = mapped_column(String(20), primary_key=True)
    value: Mapped[str] = mapped_column(String(40), primary_key=True)
    place: Mapped[Place] = relationship(back_populates="external_ids")
    __table_args__ = (Index("ix_external_ids_scheme_value", "scheme", "value"),)


class Holder(Base):
    """Who uses a name: a state, an authority, a community, a style guide."""

    __tablename__ = "holders"
    id: Mapped[str] = mapped_column(String(60), primary_key=True)
    kind: Mapped[str] = mapped_column(String(20))
    label: Mapped[str] = mapped_column(String(200))
    note: Mapped[str | None] = mapped_column(Text)


class Source(Base):
    """What a citation points to: a dataset (cited with a record id), a document or a seed article."""

    __tablename__ = "sources"
    id: Mapped[str] = mapped_column(String(60), primary_key=True)
    kind: Mapped[str] = mapped_column(String(20))
    title: Mapped[str] = mapped_column(Text)
    # What the source can prove: "spelling" (a gazetteer record) or "usage" (a law, an official site, a
    # style guide, an outlet's own text, an encyclopedia article saying who uses the name).
    attests: Mapped[str] = mapped_column(String(10), default="spelling")
    url: Mapped[str | None] = mapped_column(Text)
    years: Mapped[list[int]] = mapped_column(JSON, default=list)  # the years the source itself dates
    record_pattern: Mapped[str | None] = mapped_column(String(200))
    licence: Mapped[str | None] = mapped_column(Text)
    note: Mapped[str | None] = mapped_column(Text)


class NameClaim(Base):
    """One written form of a place, in one language, of one kind, used by some holders for some years."""

    __tablename__ = "name_claims"
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    place_id: Mapped[str] = mapped_column(ForeignKey("places.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(300))
    name_key: Mapped[str] = mapped_column(String(300), index=True)  # normalize.fold(name)
    cross_key: Mapped[str] = mapped_column(String(600), default="")  # normalize.cross_key(name_key)
    lang: Mapped[str] = mapped_column(String(40))
    kind: Mapped[str] = mapped_column(String(20))
    valid_from: Mapped[int | None] = mapped_column(Integer)
    valid_to: Mapped[int | None] = mapped_column(Integer)
    certainty: Mapped[str] = mapped_column(String(10))
    citations: Mapped[list[str]] = mapped_column(JSON, default=list)
    note: Mapped[str | None] = mapped_column(Text)
    layer: Mapped[str] = mapped_column(String(10))

    place: Mapped[Place] = relationship(back_populates="name_claims")
    holders: Mapped[list[Holder]] = relationship(secondary=claim_holders, lazy="selectin")


class UsageNote(Base):
    """How to write a place fairly (``fair-naming``), or one account of its history (``history``)."""

    __tablename__ = "usage_notes"
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    place_id: Mapped[str] = mapped_column(ForeignKey("places.id", ondelete="CASCADE"), index=True)
    topic: Mapped[str] = mapped_column(String(20))
    text: Mapped[str] = mapped_column(Text)
    citations: Mapped[list[str]] = mapped_column(JSON, default=list)
    place: Mapped[Place] = relationship(back_populates="usage_notes")


class Relation(Base):
    """A dated relation between two places, with whose view it is where contested."""

    __tablename__ = "relations"
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    place_id: Mapped[str] = mapped_column(ForeignKey("places.id", ondelete="CASCADE"), index=True)
    relation: Mapped[str] = mapped_column(String(20))
    other_id: Mapped[str] = mapped_column(ForeignKey("places.id", ondelete="CASCADE"))
    valid_from: Mapped[int | None] = mapped_column(Integer)
    valid_to: Mapped[int | None] = mapped_column(Integer)
    view: Mapped[str | None] = mapped_column(ForeignKey("holders.id"))
    certainty: Mapped[str] = mapped_column(String(10))
    citations: Mapped[list[str]] = mapped_column(JSON, default=list)
    note: Mapped[str | None] = mapped_column(Text)
    place: Mapped[Place] = relationship(back_populates="relations", foreign_keys=[place_id])


class Meta(Base):
    """Key/value facts about the loaded data: ``data_version``, ``base_layer``, ``loaded_at``."""

    __tablename__ = "meta"
    key: Mapped[str] = mapped_column(String(40), primary_key=True)
    value: Mapped[str] = mapped_column(Text)
