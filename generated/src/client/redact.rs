//! Redaction of what may be logged or recorded: request forms lose their signature, access key
//! and delegation token; response documents lose the buyer's personal data (names, emails,
//! phones, addresses). Used by the client's tracing and by the conformance recorder.

use quick_xml::events::{BytesText, Event};
use quick_xml::{Reader, Writer};

/// The replacement text.
pub const REDACTED: &str = "[redacted]";

/// Form parameters whose values are secrets or credentials (the seller id too: it names the
/// merchant account the key belongs to).
const SECRET_PARAMS: [&str; 4] = ["Signature", "AWSAccessKeyId", "MWSAuthToken", "SellerId"];

/// Names of XML elements holding buyer personal data. An element is personal when its local
/// name contains one of these (`Name` also covers `StoreName`: over-redacting is the safe
/// side), and everything inside a personal element is redacted, at any depth.
const PERSONAL_NAME_PARTS: [&str; 11] = [
    "Buyer",
    "Name",
    "Email",
    "Phone",
    "AddressLine",
    "City",
    "County",
    "District",
    "StateOrRegion",
    "PostalCode",
    "CustomInformation",
];

fn is_personal(local_name: &str) -> bool {
    PERSONAL_NAME_PARTS
        .iter()
        .any(|part| local_name.contains(part))
}

/// A form body with the values of secret parameters replaced (keys and order kept).
pub fn form(body: &[u8]) -> String {
    String::from_utf8_lossy(body)
        .split('&')
        .map(|pair| match pair.split_once('=') {
            Some((k, _)) if SECRET_PARAMS.contains(&k) => format!("{k}={REDACTED}"),
            _ => pair.to_owned(),
        })
        .collect::<Vec<_>>()
        .join("&")
}

/// An XML document with the text of personal-data elements replaced. A body that is not
/// well-formed XML is replaced whole: it cannot be shown to hold no personal data.
pub fn xml(body: &[u8]) -> String {
    redact_xml(body).unwrap_or_else(|| format!("{REDACTED} ({} bytes, not XML)", body.len()))
}

fn redact_xml(body: &[u8]) -> Option<String> {
    let mut reader = Reader::from_reader(body);
    let mut writer = Writer::new(Vec::with_capacity(body.len()));
    let mut buf = Vec::new();
    // Depth inside a personal element (0 = outside).
    let mut personal = 0usize;
    loop {
        let event = reader.read_event_into(&mut buf).ok()?;
        match &event {
            Event::Eof => break,
            Event::Start(e) => {
                if personal > 0 || is_personal(local(e.local_name().as_ref())) {
                    personal += 1;
                }
                writer.write_event(event.borrow()).ok()?;
            }
            Event::End(_) => {
                personal = personal.saturating_sub(1);
                writer.write_event(event.borrow()).ok()?;
            }
            // Indentation between child elements stays; any other text is replaced.
            Event::Text(t) if personal > 0 && t.iter().all(u8::is_ascii_whitespace) => {
                writer.write_event(event.borrow()).ok()?;
            }
            Event::Text(_) | Event::CData(_) if personal > 0 => {
                writer
                    .write_event(Event::Text(BytesText::new(REDACTED)))
                    .ok()?;
            }
            _ => writer.write_event(event.borrow()).ok()?,
        }
        buf.clear();
    }
    String::from_utf8(writer.into_inner()).ok()
}

fn local(name: &[u8]) -> &str {
    std::str::from_utf8(name).unwrap_or("")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn forms_lose_credentials() {
        let body = b"AWSAccessKeyId=AKIA&Action=Authorize&MWSAuthToken=amzn.mws.1&SellerId=A1&SellerNote=hi&Signature=abc%3D";
        assert_eq!(
            form(body),
            "AWSAccessKeyId=[redacted]&Action=Authorize&MWSAuthToken=[redacted]&SellerId=[redacted]&SellerNote=hi&Signature=[redacted]"
        );
    }

    #[test]
    fn documents_lose_personal_data() {
        let body = "<R xmlns=\"x\"><Buyer><Name>山田 花子</Name><Email>a@example.com</Email></Buyer>\
                    <Destination><PhysicalDestination><City>Tokyo</City><CountryCode>JP</CountryCode>\
                    </PhysicalDestination></Destination><State>Open</State></R>";
        let out = xml(body.as_bytes());
        for secret in ["山田", "a@example.com", "Tokyo"] {
            assert!(!out.contains(secret), "{out}");
        }
        assert!(out.contains("<CountryCode>JP</CountryCode>"));
        assert!(out.contains("<State>Open</State>"));
        assert!(
            xml(b"<unclosed><Name>x").starts_with(REDACTED)
                || !xml(b"<unclosed><Name>x").contains('x')
        );
    }

    #[test]
    fn buyer_elements_and_everything_inside_them_are_redacted() {
        let body = "<R><BuyerNickname>hana</BuyerNickname>\n  <Buyer>\n    <Id>amzn1.account.X</Id>\n  </Buyer>\
                    <BillingAddress><PhysicalAddress><AddressLine1>1-2-3 Ginza</AddressLine1>\
                    <StateOrRegion>Tokyo-to</StateOrRegion><PostalCode>104-0061</PostalCode>\
                    <County>Chuo</County><District>Ginza</District></PhysicalAddress></BillingAddress>\
                    <ShippingPhone><![CDATA[+81 3 0000 0000]]></ShippingPhone>\
                    <SellerOrderAttributes><StoreName>Shop</StoreName><SellerOrderId>o-1</SellerOrderId>\
                    </SellerOrderAttributes><Amount>1000</Amount></R>";
        let out = xml(body.as_bytes());
        for secret in [
            "hana",
            "amzn1.account.X",
            "Ginza",
            "Tokyo-to",
            "104-0061",
            "Chuo",
            "+81",
            "Shop",
        ] {
            assert!(!out.contains(secret), "{secret} in {out}");
        }
        assert!(
            out.contains("<Buyer>\n    <Id>[redacted]</Id>\n  </Buyer>"),
            "{out}"
        );
        assert!(out.contains("<SellerOrderId>o-1</SellerOrderId>"), "{out}");
        assert!(out.contains("<Amount>1000</Amount>"), "{out}");
    }

    #[test]
    fn forms_keep_everything_else_and_odd_pairs() {
        assert_eq!(
            form(b"Action=GetServiceStatus&Signature=&flag&SignatureMethod=HmacSHA256"),
            "Action=GetServiceStatus&Signature=[redacted]&flag&SignatureMethod=HmacSHA256"
        );
        assert_eq!(form(b""), "");
    }

    #[test]
    fn non_xml_is_replaced_whole() {
        let out = xml(b"Name: Hanako </oops>");
        assert!(!out.contains("Hanako"), "{out}");
    }
}
