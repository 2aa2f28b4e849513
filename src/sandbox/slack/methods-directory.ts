import { slackError, type SlackChannel, type SlackUser, type UserGroup } from './model.js';
import { flag, str, type Method } from './params.js';
import type { Workspace } from './workspace.js';

const authTest: Method = (ws) => ({
  ok: true,
  url: `${ws.origin}/`,
  team: 'Lifeboat Test',
  user: ws.identity.botName,
  team_id: ws.identity.teamId,
  user_id: ws.identity.botUserId,
  bot_id: ws.identity.botId,
  is_enterprise_install: false,
});

function wireUser(ws: Workspace, user: SlackUser) {
  return {
    id: user.id,
    team_id: ws.identity.teamId,
    name: user.name,
    real_name: user.real_name,
    deleted: false,
    is_bot: user.is_bot,
    is_admin: false,
    tz: 'Etc/UTC',
    profile: { real_name: user.real_name, display_name: user.name },
  };
}

function wireChannel(channel: SlackChannel) {
  return {
    id: channel.id,
    name: channel.name,
    is_channel: !channel.is_im && !channel.is_private,
    is_group: !channel.is_im && channel.is_private,
    is_im: channel.is_im,
    is_private: channel.is_private,
    is_archived: false,
    is_member: true,
    ...(channel.user ? { user: channel.user } : {}),
  };
}

function wireGroup(ws: Workspace, group: UserGroup, withUsers: boolean) {
  return {
    id: group.id,
    team_id: ws.identity.teamId,
    handle: group.handle,
    name: group.name,
    is_usergroup: true,
    user_count: group.users.length,
    ...(withUsers ? { users: [...group.users] } : {}),
  };
}

const usersInfo: Method = (ws, params) => {
  const user = ws.users.get(str(params, 'user') ?? '');
  return user ? { ok: true, user: wireUser(ws, user) } : slackError('user_not_found');
};

const conversationsInfo: Method = (ws, params) => {
  const channel = ws.channels.get(str(params, 'channel') ?? '');
  return channel ? { ok: true, channel: wireChannel(channel) } : slackError('channel_not_found');
};

const usergroupsList: Method = (ws, params) => ({
  ok: true,
  usergroups: [...ws.groups.values()].map((g) => wireGroup(ws, g, flag(params, 'include_users'))),
});

const usergroupUsers: Method = (ws, params) => {
  const group = ws.groups.get(str(params, 'usergroup') ?? '');
  return group ? { ok: true, users: [...group.users] } : slackError('no_such_subteam');
};

export const directoryMethods: Record<string, Method> = {
  'auth.test': authTest,
  'users.info': usersInfo,
  'conversations.info': conversationsInfo,
  'usergroups.list': usergroupsList,
  'usergroups.users.list': usergroupUsers,
};
