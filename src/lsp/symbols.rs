//! What a log declares, read from its outline so that it is known while the log has errors:
//! the services, and where each name is written.

use super::outline::{Kind, Node, Outline, Part, Spot, Step};

/// A service as declared under `services:`.
pub struct Declared<'a> {
    /// The name as `check` reads it (trimmed).
    pub name: &'a str,
    /// The scalar the name is written in.
    pub node: &'a Node,
    pub description: Option<&'a str>,
}

/// Every declared service, in the order written.
pub fn services(outline: &Outline) -> Vec<Declared<'_>> {
    let Some(list) = outline.root().and_then(|root| root.get("services")) else {
        return Vec::new();
    };
    list.items()
        .iter()
        .filter_map(|item| match &item.kind {
            Kind::Scalar(name) => Some(Declared {
                name: name.trim(),
                node: item,
                description: None,
            }),
            Kind::Map(_) => {
                let node = item.get("name")?;
                Some(Declared {
                    name: node.scalar()?.trim(),
                    node,
                    description: item.get("description").and_then(Node::scalar),
                })
            }
            _ => None,
        })
        .collect()
}

/// The service named at the spot, with the node its name is written in: a key of an event's
/// `status:` map, a declaration under `services:`, or an entry of a service's `depends_on:`.
pub fn service_at<'a>(spot: &Spot<'a>) -> Option<(&'a str, &'a Node)> {
    use Step::{Index, Key};
    let node = match (spot.path.as_slice(), spot.part) {
        ([Key("timeline"), Index(_), Key("status"), Key(_)], Part::Key(node))
        | ([Key("services"), Index(_)], Part::Value(node))
        | ([Key("services"), Index(_), Key("name")], Part::Value(node))
        | ([Key("services"), Index(_), Key("depends_on"), Index(_)], Part::Value(node)) => node,
        _ => return None,
    };
    Some((node.scalar()?.trim(), node))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A `depends_on:` entry names a service, as a status key does (hover and go to
    /// definition follow it).
    #[test]
    fn a_depends_on_entry_names_a_service() {
        let text = "services:\n  - DynamoDB\n  - name: EC2\n    depends_on: [DynamoDB]\n";
        let outline = Outline::read(text, 10_000);
        let offset = text.rfind("DynamoDB").unwrap() + 2;
        let spot = outline.locate(text, offset).expect("a spot");
        let (name, node) = service_at(&spot).expect("a service");
        assert_eq!(name, "DynamoDB");
        assert_eq!(&text[node.span.clone()], "DynamoDB");
    }
}
