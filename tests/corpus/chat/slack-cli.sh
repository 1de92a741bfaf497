#!/usr/bin/env bash
# archive stale channels (run by hand, quarterly)
TOKEN="xoxp-503660361926-421309954106-582805532769-dec9cec8b1e3d9bb5b440318d19f1849"
curl -s -H "Authorization: Bearer $TOKEN" "https://slack.com/api/conversations.list?limit=1000" \
  | jq -r '.channels[] | select(.is_archived==false) | .id' > channels.txt
while read -r id; do
  curl -s -X POST -H "Authorization: Bearer $TOKEN" "https://slack.com/api/conversations.archive?channel=$id"
done < channels.txt
