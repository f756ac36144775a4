"""factory_boy factories for the tenants and people every test needs."""

from __future__ import annotations

import datetime as dt

import factory
from django.contrib.auth import get_user_model

from kefu.core.choices import Platform, Role
from kefu.core.models import Agency, Membership, Shop
from kefu.staff.models import Agent, Assignment, SubAccount


class AgencyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Agency

    name = factory.Sequence(lambda n: f"代运营{n}")


class ShopFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Shop

    agency = factory.SubFactory(AgencyFactory)
    name = factory.Sequence(lambda n: f"店铺{n}")
    platform = Platform.TMALL


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()

    username = factory.Sequence(lambda n: f"user{n}")
    password = factory.django.Password("pass-for-tests-1")


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Membership

    shop = factory.SubFactory(ShopFactory)
    user = factory.SubFactory(UserFactory)
    role = Role.SUPERVISOR


class AgentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Agent

    agency = factory.SubFactory(AgencyFactory)
    name = factory.Sequence(lambda n: f"客服{n}")
    hire_date = dt.date(2025, 1, 6)
    level = "junior"
    level_since = dt.date(2025, 1, 6)


class AssignmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Assignment

    shop = factory.SubFactory(ShopFactory)
    agent = factory.SubFactory(AgentFactory, agency=factory.SelfAttribute("..shop.agency"))
    since = dt.date(2025, 1, 6)


class SubAccountFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = SubAccount

    shop = factory.SubFactory(ShopFactory)
    agent = factory.SubFactory(AgentFactory, agency=factory.SelfAttribute("..shop.agency"))
    nickname = factory.LazyAttributeSequence(lambda o, n: f"{o.shop.name}:客服{n}")
