"""Writes to the quick-reply library and product knowledge. Exams are in exam_services.py."""

from __future__ import annotations

import datetime as dt

from django.contrib.auth.models import User
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from kefu.core.audit import audit_record
from kefu.core.clock import shop_today
from kefu.core.errors import InvalidInput
from kefu.core.models import Shop
from kefu.knowledge.checks import phrase_check, phrase_rules
from kefu.knowledge.item_file import ItemRow, read_item_file
from kefu.knowledge.models import (
    Product,
    ProductConfirmation,
    ProductFaq,
    QuickPhrase,
    QuickPhraseVersion,
)
from kefu.knowledge.phrase_file import PhraseFileError, read_phrase_file
from kefu.knowledge.starter import STARTER_PHRASES
from kefu.knowledge.stock import product_stock_set
from kefu.staff.models import Agent, Assignment

GROUP_MAX = 40
SHORTCUT_MAX = 20


def _clean_fields(*, group: str, shortcut: str, text: str) -> tuple[str, str, str]:
    group, shortcut, text = group.strip(), shortcut.strip(), text.strip()
    if not group:
        raise InvalidInput("请填写分组（如 问候、议价、物流）")
    if len(group) > GROUP_MAX:
        raise InvalidInput(f"分组名最多 {GROUP_MAX} 个字")
    if len(shortcut) > SHORTCUT_MAX:
        raise InvalidInput(f"快捷编码最多 {SHORTCUT_MAX} 个字符")
    return group, shortcut, text


def _checked(*, shop: Shop, text: str) -> list[str]:
    """Raise InvalidInput when the text breaks a rule; return the warnings (avoid words)."""
    check = phrase_check(
        shop=shop, text=text, rules=phrase_rules(shop=shop, on=shop_today(tz=shop.timezone))
    )
    if check.errors:
        raise InvalidInput("短语未保存：" + "；".join(check.errors), details=check.errors)
    return check.warnings


def _version(phrase: QuickPhrase, acting_user: User | None) -> None:
    QuickPhraseVersion.objects.create(
        shop_id=phrase.shop_id,
        phrase=phrase,
        number=phrase.version,
        group=phrase.group,
        shortcut=phrase.shortcut,
        text=phrase.text,
        created_by=acting_user,
    )


def _state(phrase: QuickPhrase) -> dict[str, object]:
    return {"group": phrase.group, "shortcut": phrase.shortcut, "text": phrase.text}


@transaction.atomic
def quick_phrase_create(
    *,
    shop: Shop,
    group: str,
    text: str,
    shortcut: str = "",
    product: Product | None = None,
    acting_user: User | None,
) -> tuple[QuickPhrase, list[str]]:
    """A new phrase (version 1) and the warnings its text raised."""
    group, shortcut, text = _clean_fields(group=group, shortcut=shortcut, text=text)
    warnings = _checked(shop=shop, text=text)
    if product is not None and product.shop_id != shop.pk:
        raise InvalidInput("商品不属于本店")
    phrase = QuickPhrase.objects.create(
        shop=shop, group=group, shortcut=shortcut, text=text, product=product
    )
    _version(phrase, acting_user)
    audit_record(
        shop=shop,
        actor=acting_user,
        action="quick_phrase.create",
        object_type="quick_phrase",
        object_id=phrase.pk,
        new_value=_state(phrase),
    )
    return phrase, warnings


@transaction.atomic
def quick_phrase_update(
    *,
    shop: Shop,
    phrase: QuickPhrase,
    group: str,
    text: str,
    shortcut: str = "",
    product: Product | None = None,
    acting_user: User | None,
) -> tuple[QuickPhrase, list[str]]:
    """Save a new version of the phrase; an unchanged phrase keeps its version."""
    if phrase.shop_id != shop.pk:
        raise InvalidInput("短语不属于本店")
    if product is not None and product.shop_id != shop.pk:
        raise InvalidInput("商品不属于本店")
    group, shortcut, text = _clean_fields(group=group, shortcut=shortcut, text=text)
    warnings = _checked(shop=shop, text=text)
    old = _state(phrase)
    phrase.product = product
    if old == {"group": group, "shortcut": shortcut, "text": text}:
        phrase.save(update_fields=["product", "updated_at"])
        return phrase, warnings
    phrase.group, phrase.shortcut, phrase.text = group, shortcut, text
    phrase.version += 1
    phrase.active = True
    phrase.save()
    _version(phrase, acting_user)
    audit_record(
        shop=shop,
        actor=acting_user,
        action="quick_phrase.update",
        object_type="quick_phrase",
        object_id=phrase.pk,
        old_value=old,
        new_value=_state(phrase),
    )
    return phrase, warnings


@transaction.atomic
def quick_phrase_archive(*, shop: Shop, phrase: QuickPhrase, acting_user: User | None) -> None:
    """Remove a phrase from the library; its versions and use count are kept."""
    if phrase.shop_id != shop.pk:
        raise InvalidInput("短语不属于本店")
    phrase.active = False
    phrase.save(update_fields=["active", "updated_at"])
    audit_record(
        shop=shop,
        actor=acting_user,
        action="quick_phrase.archive",
        object_type="quick_phrase",
        object_id=phrase.pk,
        old_value=_state(phrase),
    )


def quick_phrase_use(*, shop: Shop, phrase: QuickPhrase, acting_user: User | None) -> int:
    """Count one use (an agent copied the phrase). Not audited: a use changes no content, and
    an audit row per copy would drown the trail. F() keeps concurrent clicks from losing
    counts. Returns the new count."""
    QuickPhrase.objects.filter(shop=shop, pk=phrase.pk).update(
        use_count=F("use_count") + 1, last_used_at=timezone.now()
    )
    phrase.refresh_from_db(fields=["use_count", "last_used_at"])
    return phrase.use_count


@transaction.atomic
def quick_phrases_seed(*, shop: Shop, acting_user: User | None) -> int:
    """Add the starting set (S4.2's courtesy phrase sets and the common scenes). Phrases the
    library already has (same group and text) are skipped, so running it twice adds nothing;
    a starter phrase the shop's rules refuse is skipped too. Returns how many were added."""
    added = 0
    rules_day = shop_today(tz=shop.timezone)
    rules = phrase_rules(shop=shop, on=rules_day)
    for group, shortcut, text in STARTER_PHRASES:
        if QuickPhrase.objects.filter(shop=shop, group=group, text=text).exists():
            continue
        if phrase_check(shop=shop, text=text, rules=rules).errors:
            continue
        quick_phrase_create(
            shop=shop, group=group, shortcut=shortcut, text=text, acting_user=acting_user
        )
        added += 1
    return added


@transaction.atomic
def quick_phrases_import(
    *, shop: Shop, data: bytes, filename: str, acting_user: User | None
) -> tuple[int, int]:
    """Import a Qianniu-style phrase file. All or nothing: any bad row (empty cell, too long,
    banned phrase) raises InvalidInput listing file, line and column, and nothing is stored.
    A row whose group and text the library already has changes nothing (idempotent); a row
    with a known shortcut in the same group updates that phrase's text as a new version.
    Returns (added, updated)."""
    try:
        rows = read_phrase_file(data, filename)
    except PhraseFileError as exc:
        raise InvalidInput("文件未导入：" + exc.problems[0], details=exc.problems) from exc
    rules = phrase_rules(shop=shop, on=shop_today(tz=shop.timezone))
    problems: list[str] = []
    for row in rows:
        for error in phrase_check(shop=shop, text=row.text, rules=rules).errors:
            problems.append(f"{filename} 第{row.line}行 {row.text_column}列：{error}")
        if len(row.group) > GROUP_MAX:
            problems.append(f"{filename} 第{row.line}行：分组名最多 {GROUP_MAX} 个字")
        if len(row.shortcut) > SHORTCUT_MAX:
            problems.append(f"{filename} 第{row.line}行：快捷编码最多 {SHORTCUT_MAX} 个字符")
    if problems:
        raise InvalidInput("文件未导入：" + problems[0], details=problems)
    added = updated = 0
    for row in rows:
        library = QuickPhrase.objects.filter(shop=shop, group=row.group)
        if library.filter(text=row.text).exists():
            continue
        same_code = library.filter(shortcut=row.shortcut).first() if row.shortcut else None
        if same_code is not None:
            quick_phrase_update(
                shop=shop,
                phrase=same_code,
                group=row.group,
                shortcut=row.shortcut,
                text=row.text,
                product=same_code.product,
                acting_user=acting_user,
            )
            updated += 1
        else:
            quick_phrase_create(
                shop=shop,
                group=row.group,
                shortcut=row.shortcut,
                text=row.text,
                acting_user=acting_user,
            )
            added += 1
    return added, updated


# --- products ----------------------------------------------------------------------------------

PRODUCT_FIELDS = (
    "name",
    "item_id",
    "selling_points",
    "specifications",
    "competitor_notes",
    "launch_date",
    "training_held_on",
    "competitor_shops",
)


DATE_FIELDS = frozenset({"launch_date", "training_held_on"})


def _product_state(product: Product) -> dict[str, object]:
    return {
        name: (value.isoformat() if isinstance(value, dt.date) else value)
        for name in PRODUCT_FIELDS
        if (value := getattr(product, name)) is not None
    }


@transaction.atomic
def product_save(
    *, shop: Shop, product: Product | None, values: dict[str, object], acting_user: User | None
) -> Product:
    """Create (product=None) or change a product from cleaned form values."""
    name = str(values.get("name") or "").strip()
    if not name:
        raise InvalidInput("请填写商品名称")
    clash = Product.objects.filter(shop=shop, name=name)
    if product is not None:
        if product.shop_id != shop.pk:
            raise InvalidInput("商品不属于本店")
        clash = clash.exclude(pk=product.pk)
    if clash.exists():
        raise InvalidInput(f"本店已有名为“{name}”的商品")
    old = _product_state(product) if product is not None else None
    target = product or Product(shop=shop)
    for key in PRODUCT_FIELDS:
        if key in values:
            value = values[key]
            # A blank text field arrives as None from some callers; text columns are NOT NULL.
            setattr(target, key, "" if value is None and key not in DATE_FIELDS else value)
    target.name = name
    target.save()
    audit_record(
        shop=shop,
        actor=acting_user,
        action="product.update" if old is not None else "product.create",
        object_type="product",
        object_id=target.pk,
        old_value=old,
        new_value=_product_state(target),
    )
    return target


@transaction.atomic
def product_faq_add(
    *, shop: Shop, product: Product, question: str, answer: str, acting_user: User | None
) -> ProductFaq:
    question, answer = question.strip(), answer.strip()
    if not question or not answer:
        raise InvalidInput("问题和回答都要填写")
    if product.shop_id != shop.pk:
        raise InvalidInput("商品不属于本店")
    faq = ProductFaq.objects.create(shop=shop, product=product, question=question, answer=answer)
    audit_record(
        shop=shop,
        actor=acting_user,
        action="product.faq_add",
        object_type="product",
        object_id=product.pk,
        new_value={"question": question, "answer": answer},
    )
    return faq


@transaction.atomic
def product_confirm(
    *, shop: Shop, product: Product, agent: Agent, acting_user: User | None
) -> ProductConfirmation:
    """The agent confirms having learnt the product (launch checklist). Idempotent."""
    if product.shop_id != shop.pk:
        raise InvalidInput("商品不属于本店")
    if not Assignment.objects.filter(shop=shop, agent=agent, active=True).exists():
        raise InvalidInput(f"{agent.name} 不是本店在岗客服")
    confirmation, created = ProductConfirmation.objects.get_or_create(
        shop=shop, product=product, agent=agent
    )
    if created:
        audit_record(
            shop=shop,
            actor=acting_user,
            action="product.confirm",
            object_type="product",
            object_id=product.pk,
            new_value={"agent": agent.pk},
        )
    return confirmation


def _match(shop: Shop, row: ItemRow) -> Product | None:
    if row.item_id:
        by_id = Product.objects.filter(shop=shop, item_id=row.item_id).first()
        if by_id is not None:
            return by_id
    return Product.objects.filter(shop=shop, name=row.name).first()


@transaction.atomic
def products_import(
    *, shop: Shop, data: bytes, filename: str, acting_user: User | None
) -> tuple[int, int]:
    """Products from an item sheet. All or nothing, like the phrase import. A row matches a
    product by item ID, else by name; a matched product only has its empty fields filled, so
    what the supervisor wrote is never overwritten and re-importing changes nothing.
    Returns (added, filled)."""
    try:
        rows = read_item_file(data, filename)
    except PhraseFileError as exc:
        raise InvalidInput("文件未导入：" + exc.problems[0], details=exc.problems) from exc
    problems = []
    for row in rows:
        found = _match(shop, row)
        if found is not None and row.item_id and found.item_id not in ("", row.item_id):
            problems.append(
                f"{filename} 第{row.line}行：商品“{row.name}”在本店的商品ID是 {found.item_id}，"
                f"不是 {row.item_id}"
            )
    if problems:
        raise InvalidInput("文件未导入：" + problems[0], details=problems)
    added = filled = 0
    for row in rows:
        found = _match(shop, row)
        values = {
            "item_id": row.item_id,
            "selling_points": row.selling_points,
            "specifications": row.specifications,
        }
        if found is None:
            found = product_save(
                shop=shop,
                product=None,
                values={"name": row.name, **values},
                acting_user=acting_user,
            )
            added += 1
        elif empty := {k: v for k, v in values.items() if v and not getattr(found, k)}:
            product_save(
                shop=shop,
                product=found,
                values={"name": found.name, **empty},
                acting_user=acting_user,
            )
            filled += 1
        if row.stock is not None:
            # Stock is item data, not what the supervisor wrote: the sheet's count replaces it.
            product_stock_set(shop=shop, product=found, stock=row.stock, acting_user=acting_user)
    return added, filled
